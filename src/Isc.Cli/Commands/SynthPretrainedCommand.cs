using Isc.Recipe;
using Isc.Training.Model;
using Isc.Torch.Runtime;
using Isc.Torch.Serialization;
using TorchSharp;

namespace Isc.Cli.Commands;

public sealed class SynthPretrainedCommand : IWorkerCommand
{
    public string Name => "synth-pretrained";
    public string Summary => "write a random backbone in its published file format (demo profile: no download)";
    public string Usage => """
        isc synth-pretrained (--profile <demo|paper> | --settings <step spec>) --backbone <resnet50|resnet152|ibn> --out FILE [--seed N]
          Random (seeded) torchvision-initialised weights at the profile's width, in the container the original
          training reads: resnet50 → torch.save zip of a torchvision-named state_dict without fc (torch.load);
          resnet152/ibn → plain pickle of {"model": {name: tensor}, "__author__": ..., "matching_heuristics": True}
          (pickle.load(f)['model']). Tensors, not numpy arrays: the original's load_state_dict raises on numpy
          arrays, and `isc train` refuses them too.
          The width comes from the model settings (the profile's, or the resolved ones in the step spec the build wrote);
          the seed defaults to the training settings' Seed.
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var profile = WorkerSettings.Read(args, []);
        var backbone = Backbones.Get(args.Required("backbone"));
        var output = args.Required("out");
        var seed = args.Int("seed", profile.Training.Seed);
        args.RejectUnknown();
        TorchRuntime.EnsureLoadable();
        torch.random.manual_seed(seed);
        using var model = new D2lvNet(backbone, profile.Model, profile.Model.ClassifierPieces);
        PretrainedWriter.Write(model, output, $"isc synth-pretrained (profile {profile.Name}, seed {seed}); not a trained network");
        Console.WriteLine($"wrote {output}: synthetic {backbone.Name} backbone, width {profile.Model.StemWidth}, format {backbone.PretrainedFormat}");
        return Task.FromResult(0);
    }
}
