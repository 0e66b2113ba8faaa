using System.Diagnostics;
using System.Text.Json;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>
/// Verify's content check (tools/isc verify-artifacts with the PyTorch reference, as the Verify target runs it) never
/// executes what an artifact file holds, and fails a model whose weights are NaN or infinite. The files are written
/// by Debian's /usr/bin/python3 with torch.
/// </summary>
[TestFixture]
public class VerifyContentSafetyTests
{
    const string Python = "/usr/bin/python3";
    string _dir = "";
    string Root => Path.Combine(_dir, "demo");
    string Checkpoint => Path.Combine(Root, "logs", "baseline_CC", "50", "checkpoint_2.pth.tar");
    string Trimmed => Path.Combine(Root, "V5_baseline_CC", "baseline_cc_50.pth.tar");

    [SetUp]
    public void SetUp()
    {
        if (!File.Exists(Python) || Exec(Python, "-c", "import torch").Code != 0) Assert.Ignore($"{Python} with torch is needed to write the files");
        _dir = Harness.TempRoot("verify-safety");
        Directory.CreateDirectory(Path.GetDirectoryName(Checkpoint)!);
        Directory.CreateDirectory(Path.GetDirectoryName(Trimmed)!);
    }

    [TearDown]
    public void TearDown()
    {
        if (_dir != "" && Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    static (int Code, string Output) Exec(string exe, params string[] args)
    {
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr);
    }

    void PythonWrites(string script)
    {
        var r = Exec(Python, "-c", script);
        Assert.That(r.Code, Is.Zero, r.Output);
    }

    (Harness.Result Run, List<JsonElement> Rows) Verify()
    {
        var json = Path.Combine(_dir, "verify.json");
        var run = Harness.Isc("verify-artifacts", "--profile", "demo", "--root", Root, "--out", json,
            "--reference", Path.Combine(Harness.RepoRoot, "tools", "python", "check_many.py"));
        Assert.That(File.Exists(json), Is.True, run.ToString());
        return (run, JsonSerializer.Deserialize<List<JsonElement>>(File.ReadAllText(json))!);
    }

    [Test]
    public void A_checkpoint_or_model_with_a_reduce_payload_is_reported_and_its_code_never_runs()
    {
        var marker = Path.Combine(_dir, "pwned");
        // torch.save pickles Payload through its __reduce__: loading the file with plain torch.load runs os.system.
        PythonWrites($$"""
            import os, torch
            class Payload:
                def __reduce__(self):
                    return (os.system, ("touch {{marker}}",))
            torch.save({"state_dict": Payload(), "epoch": 3, "optimizer": dict(), "lr_scheduler": dict()}, "{{Checkpoint}}")
            torch.save({"weight": Payload()}, "{{Trimmed}}", _use_new_zipfile_serialization=False)
            """);
        Assert.That(File.Exists(marker), Is.False, "writing must not run the payload");

        var (run, rows) = Verify();
        Assert.That(File.Exists(marker), Is.False, $"Verify ran the payload hidden in an artifact:\n{run}");
        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        foreach (var (artifact, file) in new[] { ("Train:baseline_CC_50", Checkpoint), ("Model:baseline_CC_50", Trimmed) })
        {
            var row = rows.Single(r => r.GetProperty("artifact").GetString() == artifact);
            var verdict = row.GetProperty("verdict").GetString();
            Assert.That(row.GetProperty("ok").GetBoolean(), Is.False, verdict);
            Assert.That(verdict, Does.Contain($"{file}: refused pickle global 'posix.system'"), "the C# check names the file and the global");
            Assert.That(verdict, Does.Contain("PyTorch strict load FAILED").And.Contain("posix.system"), "the PyTorch check refuses it too");
        }
    }

    [Test]
    public void A_trimmed_model_with_NaN_weights_fails_naming_the_tensor()
    {
        var full = Path.Combine(_dir, "init.pth");
        var init = Harness.Isc("init", "--profile", "demo", "--backbone", "resnet50", "--classes", "16", "--out", full);
        Assert.That(init.ExitCode, Is.Zero, init.ToString());
        // The project's own untrained model, trimmed as the Model step trims (no classifier_*), with one NaN and one +Inf.
        PythonWrites($$"""
            import collections, math, torch
            sd = torch.load("{{full}}", weights_only=True)
            sd = collections.OrderedDict((k, v) for k, v in sd.items() if not k.startswith("classifier_"))
            sd["base.0.weight"].view(-1)[0] = math.nan
            sd["projector_feat_bn.0.3.weight"].view(-1)[3] = math.inf
            torch.save(sd, "{{Trimmed}}")
            """);

        var (run, rows) = Verify();
        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        var row = rows.Single(r => r.GetProperty("artifact").GetString() == "Model:baseline_CC_50");
        var verdict = row.GetProperty("verdict").GetString();
        Assert.That(row.GetProperty("ok").GetBoolean(), Is.False, verdict);
        Assert.That(verdict, Does.Contain("2 tensor(s) hold NaN or infinite values")
            .And.Contain("base.0.weight (1 of").And.Contain("projector_feat_bn.0.3.weight (1 of"));
        Assert.That(verdict, Does.Contain("PyTorch strict load FAILED: ValueError: 2 tensor(s) hold NaN or infinite values"));
    }
}
