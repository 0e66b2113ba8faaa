using System.Text.Json;

namespace Isc.Training.Tests.Support;

/// <summary>
/// Runs the PyTorch reference (tools/python/d2lv_reference.py: check) or the test-only fixture writers
/// (tests/python/d2lv_fixtures.py: fixtures, resnet18, original-load; tests/python/original_checkpoint.py: original-labels,
/// original-checkpoint, original-rows) or the numpy references of evaluation (tests/python/inference_reference.py:
/// pca, search) or the training-step reference (tests/python/training_reference.py: step, schedule, sampler) under
/// Debian's /usr/bin/python3.
/// </summary>
public static class PyTorch
{
    public const string Python = Isc.Tests.DebianPython.Path;
    static readonly Lazy<string?> Missing = new(Probe);

    public static string Script => Path.Combine(TestContext.CurrentContext.TestDirectory, "python", "d2lv_reference.py");
    public static string FixtureScript => Path.Combine(TestContext.CurrentContext.TestDirectory, "python", "d2lv_fixtures.py");
    public static string OriginalScript => Path.Combine(TestContext.CurrentContext.TestDirectory, "python", "original_checkpoint.py");
    public static string InferenceScript => Path.Combine(TestContext.CurrentContext.TestDirectory, "python", "inference_reference.py");
    public static string TrainingScript => Path.Combine(TestContext.CurrentContext.TestDirectory, "python", "training_reference.py");

    /// <summary>Fails (./build.sh --target=Test, CI) or skips the calling test, with the reason, when the reference cannot run here.</summary>
    public static void RequireTorch() => Isc.Tests.Prerequisites.Require(Missing.Value);

    public static JsonElement Run(params string[] args)
    {
        RequireTorch();
        var script = args[0] switch
        {
            "fixtures" or "resnet18" or "original-load" => FixtureScript,
            "pca" or "search" => InferenceScript,
            "original-labels" or "original-checkpoint" or "original-rows" => OriginalScript,
            "step" or "schedule" or "sampler" => TrainingScript,
            _ => Script,
        };
        var (code, stdout, stderr) = Exec([script, .. args]);
        if (code != 0) Assert.Fail($"python reference failed ({code}): {stderr}\n{stdout}");
        var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        return JsonDocument.Parse(last).RootElement;
    }

    static string? Probe()
    {
        if (!File.Exists(Python)) return $"{Python} not found: install Debian's python3-torch, python3-torchvision and python3-numpy (./build.sh --target=Test does)";
        var (code, _, err) = Exec(["-c", "import torch, torchvision, numpy"]);
        return code == 0 ? null : $"{Python} lacks torch/torchvision/numpy ({err.Trim()}): install Debian's python3-torch, python3-torchvision and python3-numpy (./build.sh --target=Test does)";
    }

    static (int, string, string) Exec(string[] args) => Isc.Tests.DebianPython.Run(args, ompThreads: 2);
}
