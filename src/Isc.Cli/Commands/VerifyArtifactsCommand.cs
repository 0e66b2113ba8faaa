using System.Diagnostics;
using System.Text.Json;
using Isc.Imaging.Generation;
using Isc.Recipe;
using Isc.Training.Model;

namespace Isc.Cli.Commands;

/// <summary>
/// The content half of Verify: each built dataset against its manifest and the recipe's layout, each
/// final checkpoint and trimmed model against the recipe's state_dict layout, and (with --reference)
/// each of those files loaded into the PyTorch reference with strict=True.
/// </summary>
public sealed class VerifyArtifactsCommand : IWorkerCommand
{
    public string Name => "verify-artifacts";
    public string Summary => "check built datasets, checkpoints and trimmed models against the recipe (and real PyTorch)";
    public string Usage => """
        usage: isc verify-artifacts --profile <paper|demo> --root <artifacts/<profile>> --out <rows.json>
                                    [--deep] [--reference tests/python/check_many.py] [--python /usr/bin/python3]

        Datasets: {id}_{k}.jpg names, images per id, ids divisible as required, every file present with its
        recorded size (--deep: its recorded SHA-256). Checkpoints (the newest checkpoint_<e>.pth.tar of each
        run) and trimmed models: the recipe's keys, order, shapes and dtypes for the backbone and profile
        (trimmed: minus classifier_*; checkpoints: also epoch, optimizer, lr_scheduler), and every weight finite
        (no NaN/Inf). Files are read as data only (pickle globals outside an allow-list are refused). With --reference,
        every such file is loaded by the PyTorch reference with strict=True. Exit code 1 on any problem.
        """;

    sealed record Row(string Artifact, string Verdict, bool Ok);

    public async Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var profile = Profiles.Get(args.Required("profile"));
        var root = args.Required("root");
        var output = args.Required("out");
        var deep = args.Flag("deep");
        var reference = args.Optional("reference");
        var python = args.Optional("python") ?? "/usr/bin/python3";
        args.RejectUnknown();
        if (!Directory.Exists(root)) throw new UsageException($"artifacts root {root} does not exist");

        var rows = new List<Row>();
        var identities = new Dictionary<string, int>();
        foreach (var d in Datasets.All)
        {
            var dir = Path.Combine(root, "datasets", d.Name);
            if (!File.Exists(Path.Combine(dir, "manifest.json"))) continue;
            var r = ManifestCheck.Check(dir, d.Name, deep);
            identities[d.Name] = r.Identities;
            rows.Add(r.Problems.Count == 0
                ? new Row(d.Target, $"{r.Identities} ids × {r.Images / Math.Max(1, r.Identities)} images, every file {(deep ? "hash" : "size")} matches the manifest", true)
                : new Row(d.Target, string.Join("; ", r.Problems), false));
        }

        var pythonJobs = new List<object>();
        foreach (var run in Runs.All)
        {
            cancel.ThrowIfCancellationRequested();
            var classes = identities.GetValueOrDefault(run.Dataset.Name);
            var logDir = Path.Combine(root, run.LogDirectory);
            var final = Directory.Exists(logDir)
                ? Directory.EnumerateFiles(logDir, "checkpoint_*.pth.tar")
                    .Select(f => (File: f, Epoch: int.TryParse(Path.GetFileName(f)["checkpoint_".Length..^".pth.tar".Length], out var e) ? e : -1))
                    .Where(x => x.Epoch >= 0).OrderBy(x => x.Epoch).LastOrDefault().File
                : null;
            if (final is not null) rows.Add(CheckModel(run.TrainTarget, final, run.Backbone, profile.Model, classes, trimmed: false, pythonJobs));
            var trimmed = Path.Combine(root, run.TrimmedModelPath);
            if (File.Exists(trimmed)) rows.Add(CheckModel(run.ModelTarget, trimmed, run.Backbone, profile.Model, classes, trimmed: true, pythonJobs));
        }

        if (reference is not null && pythonJobs.Count > 0) rows = await WithPyTorch(rows, pythonJobs, reference, python, cancel);

        var width = rows.Count == 0 ? 0 : rows.Max(r => r.Artifact.Length) + 2;
        foreach (var r in rows) Console.WriteLine($"  {r.Artifact.PadRight(width)}{(r.Ok ? "ok" : "FAIL")}  {r.Verdict}");
        Console.WriteLine($"verify-artifacts: {rows.Count(r => r.Ok)} ok, {rows.Count(r => !r.Ok)} failed");
        if (rows.Any(r => !r.Ok && r.Artifact.Contains(':')))
            Console.WriteLine("repair a failed artifact: ./build.sh --target=Clean:<artifact> (with the build's --profile and --artifacts), then build it");
        Isc.Artifacts.AtomicFile.SweepTemps(Path.GetDirectoryName(Path.GetFullPath(output))!, Path.GetFileName(output));
        Isc.Artifacts.AtomicFile.WriteAllText(output, JsonSerializer.Serialize(rows, Isc.Artifacts.Stamp.Json));
        return rows.All(r => r.Ok) ? 0 : 1;
    }

    static Row CheckModel(string artifact, string file, Backbone backbone, ModelSettings m, int classes, bool trimmed, List<object> pythonJobs)
    {
        var problems = LayoutCheck.Check(file, backbone, m, classes, trimmed);
        pythonJobs.Add(new { file, backbone = backbone.Name, width = m.StemWidth, classes, hidden = m.ProjectorHidden, proj_out = m.ProjectorOut, trimmed });
        var what = trimmed ? "trimmed model" : Path.GetFileName(file);
        return problems.Count == 0
            ? new Row(artifact, $"{what}: keys, order, shapes and dtypes as the recipe prescribes", true)
            : new Row(artifact, $"{what}: {string.Join("; ", problems.Take(4))}", false);
    }

    static async Task<List<Row>> WithPyTorch(List<Row> rows, List<object> jobs, string reference, string python, CancellationToken cancel)
    {
        if (!File.Exists(python))
            return [.. rows, new Row("PyTorch", $"{python} not found: the strict-load check did not run", false)];
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
                return [.. rows, new Row("PyTorch", $"strict-load check skipped: {python} has no torch (Debian: apt-get install --no-install-recommends python3-torch python3-torchvision)", true)];
            if (p.ExitCode != 0)
                return [.. rows, new Row("PyTorch", $"the reference failed (exit {p.ExitCode}): {error}", false)];
            var results = JsonSerializer.Deserialize<List<JsonElement>>(await stdout)!
                .ToDictionary(e => e.GetProperty("file").GetString()!, e => (Ok: e.GetProperty("ok").GetBoolean(), Detail: e.GetProperty("detail").GetString()));
            var files = jobs.Select(j => (string)j.GetType().GetProperty("file")!.GetValue(j)!).ToList();
            var modelRows = rows.Where(r => r.Artifact.StartsWith("Train:") || r.Artifact.StartsWith("Model:")).ToList();
            for (var i = 0; i < modelRows.Count; i++)
            {
                var (ok, detail) = results[files[i]];
                var merged = modelRows[i] with
                {
                    Verdict = modelRows[i].Verdict + (ok ? "; PyTorch loads it with strict=True" : $"; PyTorch strict load FAILED: {detail}"),
                    Ok = modelRows[i].Ok && ok,
                };
                rows[rows.IndexOf(modelRows[i])] = merged;
            }
            return rows;
        }
        finally { File.Delete(list); }
    }
}
