using System.Globalization;
using Isc.Torch.Runtime;
using Isc.Training.Inference;

namespace Isc.Cli.Commands;

/// <summary>`isc synth-published`: the demo's stand-in for an authors' published model, made from the rebuilt one.</summary>
public sealed class SynthPublishedCommand : IWorkerCommand
{
    public string Name => "synth-published";
    public string Summary => "write a stand-in for a published model: a trimmed model with seeded noise (demo profile: the authors published none)";
    public string Usage => $"""
        isc synth-published --model <trimmed .pth.tar> --out <file> --seed S [--noise F]
          Reads the trimmed model and writes it again, in the same format (torch.save zip of the state_dict), atomically,
          with seeded Gaussian noise added to every floating-point tensor of more than one value: noise of standard
          deviation F × that tensor's own (population) standard deviation (default F = {PublishedStandIn.DefaultNoise.ToString(CultureInfo.InvariantCulture)}). Unchanged: integer
          tensors (num_batches_tracked), the batch-norm running statistics (running_mean, running_var) and single values
          (GeM's p). The same model and seed give the same file byte for byte.
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var model = args.Required("model");
        var output = args.Required("out");
        if (args.Optional("seed") is null) throw new UsageException("missing --seed (the stand-in's noise is drawn from it)");
        var seed = args.Int("seed", 0);
        var noise = args.Double("noise", PublishedStandIn.DefaultNoise);
        args.RejectUnknown();
        if (!(noise >= 0) || !double.IsFinite(noise)) throw new UsageException($"--noise must be a finite number >= 0, got {noise.ToString(CultureInfo.InvariantCulture)}");
        if (!File.Exists(model)) throw new UsageException($"--model {model}: no such file (a trimmed model: isc trim's output)");
        if (Path.GetFullPath(model) == Path.GetFullPath(output)) throw new UsageException($"--out {output} is the --model file: write the stand-in elsewhere");
        TorchRuntime.EnsureLoadable();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        var changed = PublishedStandIn.Write(model, output, seed, noise);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {output}: {model} with noise {noise} x each tensor's standard deviation on {changed} tensors (seed {seed})"));
        return Task.FromResult(0);
    }
}
