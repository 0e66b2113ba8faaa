using Isc.Artifacts;
using Isc.Imaging.Generation;
using Isc.Recipe;
using Isc.Training.Verification;

namespace Isc.Cli.Commands;

/// <summary>
/// The content half of Verify: runs the checks of the libraries that own the formats (datasets:
/// <see cref="DatasetVerification"/>; checkpoints and trimmed models: <see cref="ModelVerification"/>) and prints and
/// saves their rows.
/// </summary>
public sealed class VerifyArtifactsCommand : IWorkerCommand
{
    public string Name => "verify-artifacts";
    public string Summary => "check built datasets, checkpoints and trimmed models against the recipe (and real PyTorch)";
    public string Usage => """
        usage: isc verify-artifacts --profile <paper|demo> --root <artifacts/<profile>> --out <rows.json>
                                    [--deep] [--reference tools/python/check_many.py] [--python /usr/bin/python3]

        Datasets: {id}_{k}.jpg names, images per id, ids divisible as required, every file present with its
        recorded size (--deep: its recorded SHA-256). Checkpoints (the newest checkpoint_<e>.pth.tar of each
        run) and trimmed models: the recipe's keys, order, shapes and dtypes for the backbone and profile
        (trimmed: minus classifier_*; checkpoints: also epoch, optimizer, lr_scheduler), and every weight finite
        (no NaN/Inf). Files are read as data only (pickle globals outside an allow-list are refused). With --reference,
        every such file is loaded by the PyTorch reference with strict=True. Exit code 1 on any problem.
        """;

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

        var datasets = DatasetVerification.VerifyAll(root, deep);
        var identities = datasets.ToDictionary(d => d.Dataset.Name, d => d.Identities);
        List<VerifyRow> rows = [.. datasets.Select(d => d.Row), .. await ModelVerification.VerifyAllAsync(root, profile, identities, reference, python, cancel)];

        var width = rows.Count == 0 ? 0 : rows.Max(r => r.Artifact.Length) + 2;
        foreach (var r in rows) Console.WriteLine($"  {r.Artifact.PadRight(width)}{(r.Ok ? "ok" : "FAIL")}  {r.Verdict}");
        Console.WriteLine($"verify-artifacts: {rows.Count(r => r.Ok)} ok, {rows.Count(r => !r.Ok)} failed");
        if (rows.Any(r => !r.Ok && r.Artifact.Contains(':')))
            Console.WriteLine("repair a failed artifact: ./build.sh --target=Clean:<artifact> (with the build's --profile and --artifacts), then build it");
        VerifyRow.Save(output, rows);
        return rows.All(r => r.Ok) ? 0 : 1;
    }
}
