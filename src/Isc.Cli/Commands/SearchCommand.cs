using System.Globalization;
using Isc.Evaluation;
using Isc.Recipe;
using Isc.Torch.Runtime;
using Isc.Training.Inference;

namespace Isc.Cli.Commands;

public sealed class SearchCommand : IWorkerCommand
{
    public string Name => "search";
    public string Summary => "exact top-k inner-product search of query descriptors against reference descriptors, as predictions CSV";
    public string Usage => $"""
        isc search --queries <q.npy> --references <r.npy> --out <predictions.csv>
                   [--profile paper|demo | --settings <step spec>] [--k K] [--pca <pca.npy>] [--device cpu|cuda|cuda:N]
                   [--threads N] [--query-block {SearchOptions.DefaultQueryBlock}] [--reference-block {SearchOptions.DefaultReferenceBlock}]
          Reads descriptor files as isc features writes them (float32 [N, D] .npy and <file>.npy.names.txt; an id is
          the image name without its extension), L2-normalises every row, applies the PCA whitening file when given
          (then L2 again), and writes the k best references of every query to a CSV with the header
          query_id,reference_id,score, ranked by score (ties: query, then reference row order). k is the protocol's
          {nameof(EvaluationSettings)}.{nameof(EvaluationSettings.TopK)} unless --k is given (paper: {Profiles.Paper.Evaluation.TopK}).
          Memory on the device beyond the two matrices: about 4·qb·rb + 4·D·(qb + rb) bytes (qb, rb: the block sizes).
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var queriesPath = args.Required("queries");
        var referencesPath = args.Required("references");
        var output = args.Required("out");
        var pcaPath = args.Optional("pca");
        var protocol = WorkerSettings.Read(args, [], defaultProfile: Profiles.Paper.Name).Evaluation;
        var options = new SearchOptions(args.Int("k", protocol.TopK), args.Int("query-block", SearchOptions.DefaultQueryBlock),
            args.Int("reference-block", SearchOptions.DefaultReferenceBlock));
        var device = args.Optional("device") ?? "cpu";
        var threads = args.Int("threads", 0);
        args.RejectUnknown();
        try { options.Validate(); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        TorchRuntime.EnsureLoadable();
        var dev = TorchRuntime.Device(device);
        if (dev.type == TorchSharp.DeviceType.CPU) TorchRuntime.ConfigureCpuThreads(threads);

        using var queries = DescriptorFile.Read(queriesPath);
        using var references = DescriptorFile.Read(referencesPath);
        if (queries.Descriptors.shape[1] != references.Descriptors.shape[1])
            throw new InvalidDataException($"{queriesPath} has {queries.Descriptors.shape[1]}-d descriptors, {referencesPath} {references.Descriptors.shape[1]}-d: describe both sets with the same model");
        using var pca = pcaPath is null ? null : PcaWhitening.Load(pcaPath);
        using var q = Prepare(queries.Descriptors, pca, queriesPath);
        using var r = Prepare(references.Descriptors, pca, referencesPath);
        var result = ExactSearch.TopK(q, r, dev, options, Console.Out, cancel);
        WritePredictions(output, result, queries.Ids, references.Ids);
        Console.WriteLine($"wrote {output}: {result.Count} predictions ({queries.Ids.Count} queries x top {Math.Min(options.K, references.Ids.Count)} of {references.Ids.Count} references{(pca is null ? "" : $", PCA-whitened to {pca.Dimensions}")})");
        return Task.FromResult(0);
    }

    static TorchSharp.torch.Tensor Prepare(TorchSharp.torch.Tensor descriptors, PcaWhitening? pca, string path)
    {
        using var normalised = Descriptors.L2Normalize(descriptors);
        if (pca is null) return normalised.alias();
        if (descriptors.shape[1] != pca.InputDimensions)
            throw new InvalidDataException($"{path} has {descriptors.shape[1]}-d descriptors but the PCA whitening expects {pca.InputDimensions}-d: learn it on descriptors of the same model");
        return pca.Apply(normalised);
    }

    /// <summary>The predictions, one global list ranked by score (equal scores keep the search's order: query row, then rank).</summary>
    static void WritePredictions(string path, SearchResult result, IReadOnlyList<string> queryIds, IReadOnlyList<string> referenceIds)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        PredictionsCsv.Write(path, Enumerable.Range(0, result.Count)
            .OrderByDescending(i => result.Score[i])
            .Select(i => new PredictedMatch(queryIds[result.QueryIndex[i]], referenceIds[result.ReferenceIndex[i]], AsWritten(result.Score[i]))));
    }

    /// <summary>A float32 score as the double its shortest text denotes (0.8f is written 0.8, not 0.800000011920929).</summary>
    static double AsWritten(float score) =>
        double.Parse(score.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
