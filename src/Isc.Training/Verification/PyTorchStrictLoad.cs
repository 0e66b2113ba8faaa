using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Isc.Artifacts;

namespace Isc.Training.Verification;

/// <summary>
/// Loads model files into the PyTorch reference (tools/python/check_many.py) with strict=True, all in one Python
/// process, and adds each verdict to its file's Verify row.
/// </summary>
public static class PyTorchStrictLoad
{
    /// <summary>One file for check_many.py, in its JSON field names.</summary>
    public sealed record Job(
        [property: JsonPropertyName("file")] string File,
        [property: JsonPropertyName("backbone")] string Backbone,
        [property: JsonPropertyName("width")] int Width,
        [property: JsonPropertyName("classes")] int Classes,
        [property: JsonPropertyName("hidden")] int Hidden,
        [property: JsonPropertyName("proj_out")] int ProjOut,
        [property: JsonPropertyName("trimmed")] bool Trimmed);

    /// <summary><paramref name="rows"/>[i] is the row of <paramref name="jobs"/>[i]'s file; a row of its own says when the check could not run.</summary>
    public static async Task<List<VerifyRow>> MergeAsync(List<VerifyRow> rows, List<Job> jobs, string reference, string python, CancellationToken cancel)
    {
        if (!File.Exists(python))
            return [.. rows, new VerifyRow("PyTorch", $"{python} not found: the strict-load check did not run", false)];
        var list = Path.GetTempFileName();
        await File.WriteAllTextAsync(list, JsonSerializer.Serialize(jobs), cancel);
        try
        {
            var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(reference);
            info.ArgumentList.Add("--list");
            info.ArgumentList.Add(list);
            using var p = Process.Start(info)!;
            var stdout = p.StandardOutput.ReadToEndAsync(cancel);
            var stderr = p.StandardError.ReadToEndAsync(cancel);
            await p.WaitForExitAsync(cancel);
            var error = (await stderr).Trim().Split('\n').LastOrDefault() ?? "";
            if (p.ExitCode != 0 && error.Contains("No module named 'torch'"))
                return [.. rows, new VerifyRow("PyTorch", $"strict-load check skipped: {python} has no torch (Debian: apt-get install --no-install-recommends python3-torch python3-torchvision)", true)];
            if (p.ExitCode != 0)
                return [.. rows, new VerifyRow("PyTorch", $"the reference failed (exit {p.ExitCode}): {error}", false)];
            var results = JsonSerializer.Deserialize<List<JsonElement>>(await stdout)!
                .ToDictionary(e => e.GetProperty("file").GetString()!, e => (Ok: e.GetProperty("ok").GetBoolean(), Detail: e.GetProperty("detail").GetString()));
            return [.. rows.Select((row, i) =>
            {
                var (ok, detail) = results[jobs[i].File];
                return row with
                {
                    Verdict = row.Verdict + (ok ? "; PyTorch loads it with strict=True" : $"; PyTorch strict load FAILED: {detail}"),
                    Ok = row.Ok && ok,
                };
            })];
        }
        finally { File.Delete(list); }
    }
}
