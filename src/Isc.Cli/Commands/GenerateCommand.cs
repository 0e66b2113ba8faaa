using Isc.Imaging.Generation;
using Isc.Recipe;

namespace Isc.Cli.Commands;

/// <summary>`isc generate`: one of the 11 training sets (docs/recipe.md, Datasets), resumable, manifest last.</summary>
public sealed class GenerateCommand : IWorkerCommand
{
    public string Name => "generate";
    public string Summary => "generate one training dataset ({id}_{k}.jpg, contact sheet, manifest)";
    public string Usage => """
        isc generate (--profile <paper|demo> [--set key=value ...] | --settings <step spec>) --dataset <name>
                     --source <dir> --overlays <dir> --out <dataset dir>
                     [--faces <face list>] [--font <ttf>] [--emoji <dir of PNGs>] [--jobs N]

          --source    the training JPEGs (sorted by name; every IdStride-th becomes an id)
          --overlays  overlay images (at least the profile's OverlayImages; the first ones by name are used)
          --out       writes <out>/<dataset>/{id}_{k}.jpg, then <out>/contact_sheet.png, then <out>/manifest.json (last)
          --faces     ff/ff_bw: the list made by `isc faces` (or your own: one image name per line)
          --font      TTF for the text overlay (demo default: Debian's NotoNaskhArabic-Regular.ttf; paper: AugLy's NotoNaskhArabic-Regular.ttf)
          --emoji     folder of emoji PNGs (demo default: Debian tanuki_emoji; paper: AugLy's twemojis/smileys)
          --jobs      parallel workers (default: all cores)
          --set       override a GenerationSettings or SourceSettings value (a key both have goes to
                      GenerationSettings), e.g. --set seed=7
          --settings  the resolved settings the build wrote for the dataset (<artifacts>/.stamps/Dataset@<name>.spec.json)
        An interrupted run resumes: finished images are kept. Exit 0 only when the dataset is complete.
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var profile = WorkerSettings.Read(args, [SettingsRecord.Generation, SettingsRecord.Source]);
        var dataset = Datasets.Get(args.Required("dataset"));
        var source = args.Required("source");
        var overlays = args.Required("overlays");
        var output = args.Required("out");
        var faces = args.Optional("faces");
        var font = args.Optional("font") ?? profile.Assets.FontFile
            ?? throw new UsageException($"profile {profile.Name} needs --font <NotoNaskhArabic-Regular.ttf> (AugLy's assets/fonts)");
        var emoji = args.Optional("emoji") ?? profile.Assets.EmojiDirectory
            ?? throw new UsageException($"profile {profile.Name} needs --emoji <folder of the 92 smiley PNGs> (AugLy's assets/twemojis/smileys)");
        var jobs = args.Int("jobs", Environment.ProcessorCount);
        if (jobs < 1) throw new UsageException("--jobs must be at least 1");
        args.RejectUnknown();

        var request = new GenerationRequest(profile, dataset, source, overlays, output, faces, font, emoji, jobs);
        new DatasetGenerator(request, Console.Out).Run(cancel);
        return Task.FromResult(0);
    }
}
