using Isc.Imaging.Generation;
using Isc.Recipe;

namespace Isc.Cli.Commands;

/// <summary>`isc synth-eval-set`: the demo profile's copy-detection evaluation set (docs/imaging.md, Evaluation set).</summary>
public sealed class SynthEvalSetCommand : IWorkerCommand
{
    public string Name => "synth-eval-set";
    public string Summary => "draw the demo profile's evaluation set (references, copy and distractor queries, ground truth)";
    public string Usage => """
        usage: isc synth-eval-set (--profile demo [--set key=value ...] | --settings <step spec>) --out <dir>
                                  [--font <ttf>] [--emoji <dir of PNGs>] [--overlays <dir>] [--jobs N]

        Writes <dir>/references/R000000.jpg ..., <dir>/queries/Q00000.jpg ..., <dir>/ground_truth.csv
        (query_id,reference_id; a distractor query has an empty reference_id) and, last, <dir>/manifest.json.
          --font      TTF of the query chain's text overlay (default: the profile's AssetSettings.FontFile)
          --emoji     folder of emoji PNGs (default: the profile's AssetSettings.EmojiDirectory)
          --overlays  backgrounds the copies are pasted onto: the first EvalSetSettings.Backgrounds images of this
                      folder (default: drawn into <dir>/backgrounds/)
          --jobs      parallel workers (default: all cores)
          --set       override an EvalSetSettings value, e.g. --set references=100
          --settings  the resolved settings the build wrote for the set (a step spec)
        The same settings give byte-identical files. An interrupted run resumes (finished images are kept); a folder
        drawn with other settings is cleared and drawn again. Exit 0 only when the set is complete.
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var profile = WorkerSettings.Read(args, [SettingsRecord.EvalSet], defaultProfile: "demo");
        var settings = profile.EvalSet
            ?? throw new UsageException($"the {profile.Name} profile has no evaluation set to draw (EvalSetSettings): its queries and references are the DISC21 images you give; use --profile demo");
        var output = args.Required("out");
        var font = args.Optional("font") ?? profile.Assets.FontFile
            ?? throw new UsageException($"profile {profile.Name} needs --font <ttf> for the query chain's text overlay");
        var emoji = args.Optional("emoji") ?? profile.Assets.EmojiDirectory
            ?? throw new UsageException($"profile {profile.Name} needs --emoji <folder of emoji PNGs> for the query chain's emoji overlay");
        var overlays = args.Optional("overlays");
        var jobs = args.Int("jobs", Environment.ProcessorCount);
        if (jobs < 1) throw new UsageException("--jobs must be at least 1");
        args.RejectUnknown();

        var request = new EvalSetRequest(settings, output, profile.Assets.SyntheticPhotoFont, font, emoji, overlays, jobs);
        new EvalSetGenerator(request, Console.Out).Run(cancel);
        return Task.FromResult(0);
    }
}
