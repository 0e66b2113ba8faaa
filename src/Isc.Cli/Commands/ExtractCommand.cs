using Isc.Downloads;
using Isc.Recipe;

namespace Isc.Cli.Commands;

/// <summary>A downloaded zip into a folder, safely and atomically; optionally checked as one of the recipe's datasets.</summary>
public sealed class ExtractCommand : IWorkerCommand
{
    public string Name => "extract";
    public string Summary => "extract a zip safely (no escaping paths or links, CRC-checked) into a folder, atomically";
    public string Usage => """
        usage: isc extract --zip <file> --out <dir>
                           [--expect-dataset <name> (--profile <demo|paper> [--set key=value ...] | --settings <step spec>)]
                           [--progress-seconds S]

        Extracts entry by entry into <dir>.partial, then renames it to <dir>. Entries with absolute paths,
        '..' segments or symbolic links refuse the whole archive before anything is written; a truncated
        or damaged zip (bad CRC, short entry) is an error. An interrupted run resumes from <dir>.partial.
        --expect-dataset <name>: the result must hold <dir>/<name>/{id}_{k}.jpg, ids 0..N-1 with
        ImagesPerId images each, N = the profile's identities (at least N for the face datasets);
        --set overrides SourceSettings/GenerationSettings keys (e.g. --set TrainingImages=160); under the build,
        --settings reads the dataset's resolved settings from its step spec instead.
        If <dir> already has that layout, nothing is done.
        """;

    /// <summary>What a by-hand --set reaches: the dataset's records, looked up as `isc generate` looks them up.</summary>
    static readonly SettingsRecord[] DatasetRecords = [SettingsRecord.Generation, SettingsRecord.Source];

    public async Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var zip = args.Required("zip");
        var outDir = args.Required("out");
        var dataset = args.Optional("expect-dataset");
        var progressSeconds = args.Double("progress-seconds", 5);
        var hasSettings = args.Optional("profile") is not null || args.Optional("settings") is not null;
        if (dataset is null && (hasSettings || args.Sets().Count > 0))
            throw new UsageException("--profile, --settings and --set only apply with --expect-dataset");
        if (dataset is not null && !hasSettings)
            throw new UsageException("--expect-dataset needs --profile or --settings (the settings give the number of ids and images per id)");
        var expect = dataset is null ? null : DatasetExpectation.For(dataset, WorkerSettings.Read(args, DatasetRecords));
        args.RejectUnknown();

        var result = await new SafeZipExtractor(Console.WriteLine, TimeSpan.FromSeconds(progressSeconds))
            .ExtractAsync(zip, outDir, expect, cancel);
        Console.WriteLine($"ok {result.Folder} files={result.Files}" + (result.Identities is { } ids ? $" ids={ids}" : ""));
        return 0;
    }
}
