using Isc.Recipe;
using Isc.Training.Model;
using Isc.Torch.Pickle;
using Isc.Torch.Runtime;
using Isc.Torch.Serialization;
using TorchSharp;

namespace Isc.Cli.Commands;

public sealed class InitCommand : IWorkerCommand
{
    public string Name => "init";
    public string Summary => "write an untrained D2LV model's state_dict (torch.save) to inspect its structure";
    public string Usage => """
        isc init --backbone <resnet50|resnet152|ibn> --classes N [--profile paper|demo] [--width W] [--seed S] --out FILE
          N must be a multiple of 4 (the classifier is split in four). --width overrides the stem width (64 = paper).
          The file is torch.save of the state_dict (an OrderedDict), loadable with torch.load.
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var backbone = Backbones.Get(args.Required("backbone"));
        var classes = args.Int("classes", -1);
        var profile = Profiles.Get(args.Optional("profile") ?? "paper");
        var width = args.Int("width", profile.Model.StemWidth);
        var seed = args.Int("seed", 0);
        var output = args.Required("out");
        args.RejectUnknown();
        if (classes <= 0 || classes % profile.Model.ClassifierPieces != 0)
            throw new UsageException($"--classes must be a positive multiple of {profile.Model.ClassifierPieces}, got {classes}");
        if (width <= 0) throw new UsageException($"--width must be positive, got {width}");
        TorchRuntime.EnsureLoadable();
        torch.random.manual_seed(seed);
        using var model = new D2lvNet(backbone, profile.Model with { StemWidth = width }, classes);
        var sd = new PyOrderedDict();
        foreach (var (k, v) in StateDicts.Ordered(model)) sd.Add(k, v);
        TorchZip.Save(output, sd);
        Console.WriteLine($"wrote {output}: {backbone.Name}, width {width}, {classes} classes, {sd.Count} tensors");
        return Task.FromResult(0);
    }
}
