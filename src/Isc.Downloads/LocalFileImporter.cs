using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Isc.Downloads;

/// <summary>
/// The manual route: a file the user already has (downloaded in a browser, copied from another machine) is
/// verified exactly like a download (size, SHA-256, an existing lock file pin; never pinned here) and placed at the destination, by hard link when the
/// file system allows it, else by copying; a file that fails verification is never placed.
/// </summary>
public static class LocalFileImporter
{
    public static async Task<DownloadResult> ImportAsync(DownloadRequest request, string sourceFile, HashLock? hashLock,
        Action<string> log, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        var source = Path.GetFullPath(sourceFile);
        var destination = Path.GetFullPath(request.Destination);
        request = request with { Destination = destination };
        if (!File.Exists(source))
            throw new DownloadException($"{request.DisplayName}: the file given by hand, {source}, does not exist");
        var verifier = new FileVerifier(request, hashLock);
        var size = new FileInfo(source).Length;
        if (HtmlPage.Looks(null, await HeadAsync(source, cancel)) && !destination.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
            throw new DownloadException($"{request.DisplayName}: {source} is a web page, not the file (a browser saved Drive's warning or error page); download the file itself");

        if (File.Exists(destination))
        {
            var existingSha = await FileHash.Sha256Async(destination, cancel);
            if (Path.GetFullPath(destination) == source || existingSha == await FileHash.Sha256Async(source, cancel))
            {
                verifier.Check(existingSha, new FileInfo(destination).Length, $"the existing {destination}");
                log($"{request.DisplayName}: already present and verified at {destination}");
                return new DownloadResult(destination, size, existingSha, source, 0, clock.Elapsed, true);
            }
            // Another file is there: an earlier import or download that a later check of the step refused (it was never
            // pinned), or one the user replaces on purpose. The given file replaces it once it passes verification.
            log($"{request.DisplayName}: {destination} holds another file (sha256 {existingSha}); it is replaced by {source} if that passes verification");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var temp = destination + ".import";
        File.Delete(temp);
        string sha;
        var linked = TryHardLink(source, temp);
        try
        {
            sha = linked ? await FileHash.Sha256Async(temp, cancel) : await CopyHashingAsync(source, temp, cancel);
            verifier.Check(sha, size, source);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        File.Move(temp, destination, overwrite: true);
        log($"{request.DisplayName}: verified {source} ({ProgressReporter.Bytes(size)}, sha256 {sha}) and {(linked ? "hard-linked" : "copied")} it to {destination}");
        return new DownloadResult(destination, size, sha, source, 0, clock.Elapsed, false);
    }

    static async Task<byte[]> HeadAsync(string path, CancellationToken cancel)
    {
        await using var stream = File.OpenRead(path);
        var buffer = new byte[512];
        var n = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancel);
        return buffer[..n];
    }

    static async Task<string> CopyHashingAsync(string source, string target, CancellationToken cancel)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
        await using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        {
            var buffer = new byte[1 << 20];
            int n;
            while ((n = await input.ReadAsync(buffer, cancel)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, n), cancel);
                hash.AppendData(buffer, 0, n);
            }
            output.Flush(flushToDisk: true);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    static bool TryHardLink(string existing, string newPath)
    {
        if (OperatingSystem.IsWindows()) return false;
        try { return Link(existing, newPath) == 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);
}
