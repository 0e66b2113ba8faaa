using Isc.Artifacts;
using Isc.Imaging.Synthetic;
using Isc.Recipe;

namespace Isc.Cli.Commands;

/// <summary>
/// The demo profile's stand-in for the DISC21 training images and the overlay images: deterministic,
/// photo-like JPEGs, plus a manifest (name, size, SHA-256) written last.
/// </summary>
public sealed class SynthImagesCommand : IWorkerCommand
{
    public string Name => "synth-images";
    public string Summary => "draw the demo profile's synthetic training or overlay images";
    public string Usage => """
        usage: isc synth-images --kind <training|overlay> --out <dir> [--profile demo | --settings <step spec>]
                                [--count N] [--width W] [--height H] [--seed S] [--font <ttf>] [--jobs N]

        Writes <dir>/images/T000000.jpg ... (training) or O000000.jpg ... (overlay) and <dir>/manifest.json.
        Counts, sizes and seed default to the source settings: the profile's, or under the build the resolved
        ones in the step spec (--settings <artifacts>/.stamps/Source.spec.json). Files already present are kept,
        so an interrupted run resumes.
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var profile = WorkerSettings.Read(args, [], defaultProfile: "demo");
        var kind = args.Required("kind");
        var isTraining = kind switch
        {
            "training" => true,
            "overlay" => false,
            _ => throw new UsageException($"--kind must be 'training' or 'overlay', got '{kind}'"),
        };
        var s = profile.Source;
        var options = new SyntheticImageSet.Options(
            Directory: Path.Combine(args.Required("out"), "images"),
            Prefix: isTraining ? "T" : "O",
            Count: args.Int("count", isTraining ? s.TrainingImages : s.OverlayImages),
            Width: args.Int("width", s.SyntheticWidth > 0 ? s.SyntheticWidth : 320),
            Height: args.Int("height", s.SyntheticHeight > 0 ? s.SyntheticHeight : 240),
            Seed: args.Int("seed", s.Seed + (isTraining ? 0 : 1)),
            FontFile: args.Optional("font") ?? profile.Assets.SyntheticPhotoFont,
            Parallelism: args.Int("jobs", 0));
        args.RejectUnknown();

        SyntheticImageSet.Write(options, Console.WriteLine, cancel);
        var manifest = DirectoryManifest.Build(options.Directory);
        manifest.Save(Path.Combine(args.Required("out"), "manifest.json"));
        Console.WriteLine($"wrote {manifest.Files.Count} {kind} images ({manifest.TotalBytes / 1024} KiB) to {options.Directory}");
        return Task.FromResult(0);
    }
}
