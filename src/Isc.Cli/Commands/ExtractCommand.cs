using Isc.Downloads;
using Isc.Recipe;

namespace Isc.Cli.Commands;

/// <summary>A downloaded zip into a folder, safely and atomically; optionally checked as one of the recipe's datasets.</summary>
public sealed class ExtractCommand : IWorkerCommand
{
    public string Name => "extract";
    public string Summary => "extract a zip safely (no escaping paths or links, CRC-checked) into a folder, atomically";
    public string Usage => """
        usage: isc extract --zip <file> --out <dir> [--expect-dataset <name> --profile <demo|paper>]
                           [--set key=value ...] [--progress-seconds S]

        Extracts entry by entry into <dir>.partial, then renames it to <dir>. Entries with absolute paths,
        '..' segments or symbolic links refuse the whole archive before anything is written; a truncated
        or damaged zip (bad CRC, short entry) is an error. An interrupted run resumes from <dir>.partial.
        --expect-dataset <name>: the result must hold <dir>/<name>/{id}_{k}.jpg, ids 0..N-1 with
        ImagesPerId images each, N = the profile's identities (at least N for the face datasets);
        --set overrides SourceSettings/GenerationSettings keys (e.g. --set TrainingImages=160).
        If <dir> already has that layout, nothing is done.
        """;

    public async Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var zip = args.Required("zip");
        var outDir = args.Required("out");
        var dataset = args.Optional("expect-dataset");
        var profileName = args.Optional("profile");
        var sets = args.Sets();
        var progressSeconds = args.Double("progress-seconds", 5);
        args.RejectUnknown();
        if (dataset is null && (profileName is not null || sets.Count > 0))
            throw new UsageException("--profile and --set only apply with --expect-dataset");
        if (dataset is not null && profileName is null)
            throw new UsageException("--expect-dataset needs --profile (the profile gives the number of ids and images per id)");

        DatasetExpectation? expect = null;
        if (dataset is not null)
        {
            var profile = Profiles.Get(profileName!);
            var source = profile.Source;
            var generation = profile.Generation;
            foreach (var (key, value) in sets)
            {
                if (SettingsParams.Has<SourceSettings>(key)) source = SettingsParams.With(source, key, value);
                else if (SettingsParams.Has<GenerationSettings>(key)) generation = SettingsParams.With(generation, key, value);
                else throw new UsageException($"--set {key}: not a key of SourceSettings or GenerationSettings");
            }
            expect = DatasetExpectation.For(dataset, profile with
            {
                Source = SettingsValidation.Validated(source, "--set"),
                Generation = SettingsValidation.Validated(generation, "--set"),
            });
        }

        var result = await new SafeZipExtractor(Console.WriteLine, TimeSpan.FromSeconds(progressSeconds))
            .ExtractAsync(zip, outDir, expect, cancel);
        Console.WriteLine($"ok {result.Folder} files={result.Files}" + (result.Identities is { } ids ? $" ids={ids}" : ""));
        return 0;
    }
}
