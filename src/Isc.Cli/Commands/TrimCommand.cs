using Isc.Training.Model;

namespace Isc.Cli.Commands;

public sealed class TrimCommand : IWorkerCommand
{
    public string Name => "trim";
    public string Summary => "final checkpoint minus classifier_0..3: the state_dict alone (the published model file)";
    public string Usage => """
        isc trim --checkpoint <checkpoint_{e}.pth.tar> --out <file, e.g. V5_baseline_CC/baseline_cc_50.pth.tar>
          Loads the checkpoint, drops classifier_0..3.weight and writes the remaining state_dict with torch.save's
          zip format, atomically.
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var checkpoint = args.Required("checkpoint");
        var output = args.Required("out");
        args.RejectUnknown();
        if (!File.Exists(checkpoint)) throw new UsageException($"--checkpoint {checkpoint}: no such file");
        var removed = TrimmedModel.Trim(checkpoint, output);
        Console.WriteLine($"wrote {output} ({removed} classifier tensors removed)");
        return Task.FromResult(0);
    }
}
