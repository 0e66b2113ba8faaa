using System.Globalization;
using Isc.Downloads;

namespace Isc.Cli.Commands;

/// <summary>One file from a URL or Google Drive id, resumable and verified; or a file given by hand, verified and placed.</summary>
public sealed class DownloadCommand : IWorkerCommand
{
    public string Name => "download";
    public string Summary => "fetch one file (URL or gdrive:<id>), resumable, verified by size/SHA-256/lock file pin (isc pin records pins)";
    public string Usage => """
        usage: isc download <url | gdrive:<id>> <dest file> [--sha256 <hex>] [--size N]
                            [--lock <lock file> --key <artifact key>] [--from-file <path>] [--retries N]
                            [--drive-base <url>] [--progress-seconds S]

        Bytes accumulate in <dest>.part (a rerun resumes with a Range request) and are renamed to <dest>
        only after verification: --size, --sha256, and the lock file entry <key> when it exists. A new entry is
        never recorded here: `isc pin` records it once every check of the file's build step has passed. Timeouts, dropped connections, 5xx and 429
        are retried --retries times (default 6) with exponential back-off and jitter; Retry-After is honoured.
        Google Drive's confirmation page for large files is followed. A web page where the file was
        expected (quota exceeded, no access, removed) is an error with Drive's reason; nothing is saved.
        --drive-base <url>: where gdrive:<id> requests go (default https://drive.google.com/; tests use loopback).
        --from-file <path>: use a file you already have (e.g. downloaded in a browser): verified the same
        way, then hard-linked (or copied) to <dest>; the source is not contacted and may be omitted.
        A mirror is just a different source: isc download https://mirror/x.zip <dest> --lock ... --key ...
        """;

    public async Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var fromFile = args.Optional("from-file");
        var positionals = args.Positionals;
        var (source, destination) = positionals.Count switch
        {
            2 => (positionals[0], positionals[1]),
            1 when fromFile is not null => ("file given by hand", positionals[0]),
            _ => throw new UsageException($"expected <url | gdrive:<id>> <dest file>, got {positionals.Count} positional argument(s)"),
        };
        var sha = args.Optional("sha256");
        var size = Long(args, "size");
        var lockPath = args.Optional("lock");
        var key = args.Optional("key");
        if ((lockPath is null) != (key is null)) throw new UsageException("--lock and --key go together (the lock file and the entry to check)");
        var retries = args.Int("retries", 6);
        if (retries < 0) throw new UsageException("--retries must be 0 or more");
        var driveBase = args.Optional("drive-base");
        if (driveBase is not null && !(Uri.TryCreate(driveBase, UriKind.Absolute, out var driveUri) && driveUri.Scheme is "http" or "https"))
            throw new UsageException($"--drive-base must be an http(s) URL, got '{driveBase}'");
        var progressSeconds = args.Double("progress-seconds", 5);
        args.RejectUnknown();

        if (fromFile is null && !DriveResolver.IsDrive(source)
            && !(Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            throw new UsageException($"'{source}' is neither an http(s) URL nor gdrive:<id>");

        var options = new DownloadOptions
        {
            MaxRetries = retries,
            ProgressInterval = TimeSpan.FromSeconds(progressSeconds),
            DriveBaseUri = driveBase is null ? new DownloadOptions().DriveBaseUri : new Uri(driveBase),
        };
        var hashLock = lockPath is null ? null : new HashLock(lockPath);
        var request = DownloadRequest.Single(source, destination, sha, size, key);

        DownloadResult result;
        if (fromFile is not null)
            result = await LocalFileImporter.ImportAsync(request, fromFile, hashLock, options.Log, cancel);
        else
        {
            using var downloader = new ResumableDownloader(options, hashLock);
            result = await downloader.DownloadAsync(request, cancel);
        }
        Console.WriteLine($"ok {result.Path} {result.Size} sha256={result.Sha256}");
        return 0;
    }

    static long? Long(CommandArgs args, string name)
    {
        var s = args.Optional(name);
        if (s is null) return null;
        return long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v : throw new UsageException($"--{name} must be a whole number of bytes, got '{s}'");
    }
}
