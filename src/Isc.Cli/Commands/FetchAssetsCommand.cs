using Isc.Downloads;
using Isc.Recipe;

namespace Isc.Cli.Commands;

/// <summary>The recipe's text-overlay font and the 92 emoji smileys from the AugLy repository (pinned tag).</summary>
public sealed class FetchAssetsCommand : IWorkerCommand
{
    public string Name => "fetch-assets";
    public string Summary => $"fetch AugLy's font and 92 smiley emojis ({Assets.AugLyTag}) into <dir>/fonts and <dir>/smileys";
    public string Usage => $"""
        usage: isc fetch-assets --out <dir> [--lock <lock file>] [--mirror <base url>] [--jobs N] [--retries N]

        Downloads {Assets.Font.Published.FileName} into <dir>/fonts/ and the {Assets.Smileys.Count} Twemoji smileys
        (AugLy's twemojis/smileys) into <dir>/smileys/, from {Assets.AugLyRawBase}
        with the resumable, verified downloader, --jobs at a time (default 4). With --lock, files must match their
        pins (keys Asset:fonts/..., Asset:smileys/...); new pins are recorded only after ALL files have arrived and
        passed their checks, so a failed run pins nothing.
        Files already present are verified, not downloaded again.
        --mirror <base url>: a copy of AugLy's augly/assets/ folder (same fonts/ and twemojis/smileys/ paths).
        """;

    public async Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var outDir = args.Required("out");
        var lockPath = args.Optional("lock");
        var mirror = args.Optional("mirror");
        var jobs = args.Int("jobs", 4);
        var retries = args.Int("retries", 6);
        args.RejectUnknown();
        if (jobs < 1) throw new UsageException("--jobs must be at least 1");
        if (retries < 0) throw new UsageException("--retries must be 0 or more");

        var options = new DownloadOptions { MaxConcurrency = jobs, MaxRetries = retries };
        var results = await AssetFetcher.FetchAsync(outDir, options, lockPath is null ? null : new HashLock(lockPath), mirror, cancel);
        Console.WriteLine($"ok {Path.GetFullPath(outDir)} files={results.Count}");
        return 0;
    }
}
