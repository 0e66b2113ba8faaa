using Isc.Evaluation;

namespace Isc.Cli.Commands;

/// <summary>Prepares a DISC21 evaluation set (the paper profile's subset1 or dev25k) from the user's image folders and the challenge's lists.</summary>
public sealed class EvalSetCommand : IWorkerCommand
{
    public string Name => "eval-set";
    public string Summary => "a DISC21 evaluation set: image lists and ground truth from your query/reference folders and the challenge's lists";
    public string Usage => """
        usage: isc eval-set --queries <dir> --references <dir> --ground-truth <csv> --out <dir>
                            [--query-list <file>] [--reference-list <file>]

        Writes <dir>/queries.txt and <dir>/references.txt (absolute image paths, in id order) and <dir>/ground_truth.csv
        (the ground truth of the listed queries). --query-list/--reference-list hold one image id a line (the challenge's
        subset_1_queries, dev_queries_25k ...); without one, every .jpg of the folder is in the set. A listed image that is
        missing, a query the ground truth does not list, or a pair whose reference is not in the set is an error.
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var queries = args.Required("queries");
        var references = args.Required("references");
        var truth = args.Required("ground-truth");
        var output = args.Required("out");
        var queryList = args.Optional("query-list");
        var referenceList = args.Optional("reference-list");
        args.RejectUnknown();
        foreach (var (option, file) in new[] { ("ground-truth", truth), ("query-list", queryList), ("reference-list", referenceList) })
            if (file is not null && !File.Exists(file)) throw new UsageException($"--{option} {file}: no such file");
        var (q, r, pairs) = DiscEvalSetWriter.Write(queries, references, truth,
            queryList is null ? null : DiscEvalSetWriter.ReadIds(queryList), referenceList is null ? null : DiscEvalSetWriter.ReadIds(referenceList), output);
        Console.WriteLine($"eval set {output}: {q:N0} queries, {r:N0} references, {pairs:N0} ground-truth pairs");
        return Task.FromResult(0);
    }
}
