using System.Text.Json;

namespace Isc.Evaluation.Tests;

/// <summary>
/// The independent Python implementation of the metrics (tests/python/isc_metrics_reference.py), run under Debian's
/// /usr/bin/python3 with numpy on a predictions file and a ground truth.
/// </summary>
public static class PythonMetricsReference
{
    public const string Python = Isc.Tests.DebianPython.Path;
    static readonly Lazy<string?> Missing = new(Probe);

    static string Script => Path.Combine(TestContext.CurrentContext.TestDirectory, "python", "isc_metrics_reference.py");

    /// <summary>The reference's JSON: the metrics.json fields plus precisions, recalls and thresholds.</summary>
    public static JsonElement Run(string predictions, string groundTruth)
    {
        Isc.Tests.Prerequisites.Require(Missing.Value);
        var (code, stdout, stderr) = Exec([Script, predictions, groundTruth]);
        if (code != 0) Assert.Fail($"the Python reference failed ({code}): {stderr}\n{stdout}");
        return JsonDocument.Parse(stdout.Trim()).RootElement.Clone();
    }

    static string? Probe()
    {
        if (!File.Exists(Python)) return $"{Python} not found: install Debian's python3 and python3-numpy (./build.sh --target=Test does)";
        var (code, _, err) = Exec(["-c", "import numpy"]);
        return code == 0 ? null : $"{Python} lacks numpy ({err.Trim()}): install Debian's python3-numpy (./build.sh --target=Test does)";
    }

    static (int, string, string) Exec(string[] args) => Isc.Tests.DebianPython.Run(args);
}
