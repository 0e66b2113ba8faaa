using Isc.Recipe;
using Isc.Torch.Runtime;
using Isc.Training.Inference;

namespace Isc.Cli.Commands;

/// <summary>`isc pca`: learns the PCA whitening that `isc search --pca` applies, from descriptors of training images.</summary>
public sealed class PcaCommand : IWorkerCommand
{
    public string Name => "pca";
    public string Summary => "learn a PCA whitening (for isc search --pca) from descriptors of images that are neither queries nor references";
    public string Usage => $"""
        isc pca --descriptors <train.npy> --out <pca.npy> [--profile paper|demo | --settings <step spec>]
                [--dimensions N] [--epsilon E]
          Reads a descriptor file as isc features writes it (float32 [N, D] .npy), L2-normalises every row (as isc search
          does before applying the whitening), learns the mean and the top --dimensions components (N must exceed
          them) and writes them to --out atomically: float32 [dimensions + 1, D], row 0 the mean. The dimensions and
          epsilon are the protocol's {nameof(EvaluationSettings)}.{nameof(EvaluationSettings.PcaDimensions)} and
          {nameof(EvaluationSettings.PcaEpsilon)} unless given (paper: {Profiles.Paper.Evaluation.PcaDimensions} and {Profiles.Paper.Evaluation.PcaEpsilon.ToString(System.Globalization.CultureInfo.InvariantCulture)}).
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var input = args.Required("descriptors");
        var output = args.Required("out");
        var protocol = WorkerSettings.Read(args, [], defaultProfile: Profiles.Paper.Name).Evaluation;
        var dimensions = args.Int("dimensions", protocol.PcaDimensions);
        var epsilon = args.Double("epsilon", protocol.PcaEpsilon);
        args.RejectUnknown();
        if (dimensions < 1) throw new UsageException($"--dimensions must be at least 1, got {dimensions}");
        if (!(epsilon >= 0) || double.IsInfinity(epsilon)) throw new UsageException($"--epsilon must be a finite number >= 0, got {epsilon}");
        if (!File.Exists(input)) throw new UsageException($"--descriptors {input}: no such file (isc features writes one)");
        TorchRuntime.EnsureLoadable();
        using var training = DescriptorFile.Read(input);
        using var normalised = Descriptors.L2Normalize(training.Descriptors);
        PcaWhitening pca;
        try { pca = PcaWhitening.Learn(normalised, dimensions, epsilon); }
        catch (ArgumentException e) { throw new InvalidDataException($"{input}: {e.Message}"); }
        using var _ = pca;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        pca.Save(output);
        Console.WriteLine($"wrote {output}: PCA whitening {pca.InputDimensions} -> {pca.Dimensions} dimensions, learned from {training.Ids.Count} descriptors");
        return Task.FromResult(0);
    }
}
