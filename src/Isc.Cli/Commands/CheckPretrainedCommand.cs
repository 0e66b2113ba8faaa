using Isc.Recipe;
using Isc.Training.Model;
using Isc.Torch.Runtime;

namespace Isc.Cli.Commands;

/// <summary>The Pretrained step's gate: the file loads as a checkpoint of this backbone, by the trainer's own rule.</summary>
public sealed class CheckPretrainedCommand : IWorkerCommand
{
    public string Name => "check-pretrained";
    public string Summary => "check that a pretrained file is a checkpoint of the given backbone (the trainer's rule), before it is pinned";
    public string Usage => """
        usage: isc check-pretrained (--profile <demo|paper> | --settings <step spec>) --backbone <resnet50|resnet152|ibn> --file <path>

        Loads <path> with the trainer's data-only readers (torch.save zip, legacy torch.save, plain pickle; nothing in
        the file is executed) into the backbone at the width of the model settings (the profile's, or the resolved ones
        in the step spec the build wrote), and fails unless every weight and running statistic of the backbone is in
        the file by name and shape, exactly as `isc train` would (docs/training.md, Pretrained backbones: numpy arrays,
        "module."-prefixed names and absent tensors are refused). The error names the file and what was found (a
        text file, a zip that is not a torch file, another backbone).
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var profile = WorkerSettings.Read(args, []);
        var backbone = Backbones.Get(args.Required("backbone"));
        var file = Path.GetFullPath(args.Required("file"));
        args.RejectUnknown();
        if (!File.Exists(file)) throw new FileNotFoundException($"{backbone.Target}: {file} does not exist", file);
        TorchRuntime.EnsureLoadable();
        using var model = new D2lvNet(backbone, profile.Model, profile.Model.ClassifierPieces);
        var report = PretrainedLoader.Load(model, file);
        Console.WriteLine($"{file}: a {backbone.Name} backbone of width {profile.Model.StemWidth} ({report.Summary()})");
        return Task.FromResult(0);
    }
}
