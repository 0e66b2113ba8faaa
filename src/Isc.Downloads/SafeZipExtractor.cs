using System.Diagnostics;
using System.IO.Compression;
using System.IO.Hashing;

namespace Isc.Downloads;

/// <summary>What <see cref="SafeZipExtractor"/> did.</summary>
public sealed record ExtractResult(string Folder, int Files, long Bytes, int SkippedAsDone, int? Identities, TimeSpan Elapsed);

/// <summary>
/// Extracts a zip entry by entry (streamed to disk, never held in memory) into <c>OUT.partial</c>, checks every
/// entry's size and CRC-32, optionally checks the dataset layout, then renames the folder to OUT. Unsafe entries
/// (see <see cref="ZipEntryPolicy"/>: paths, links, bomb-like declared sizes) refuse the archive before anything is
/// written, and an entry that inflates past its declared size is stopped at that size. An interrupted run resumes:
/// files already in OUT.partial with the right size are kept.
/// </summary>
public sealed class SafeZipExtractor(Action<string> log, TimeSpan progressInterval)
{
    static readonly ThreadLocal<byte[]> Buffer = new(() => new byte[1 << 16]);

    public async Task<ExtractResult> ExtractAsync(string zipPath, string outDir, DatasetExpectation? expect = null, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        zipPath = Path.GetFullPath(zipPath);
        outDir = Path.GetFullPath(outDir.TrimEnd('/', '\\'));
        if (!File.Exists(zipPath)) throw new FileNotFoundException($"zip {zipPath} does not exist", zipPath);

        await using var stream = new FileStream(zipPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var archive = Open(zipPath, stream);
        var plan = Plan(zipPath, stream.Length, archive, expect);

        if (Directory.Exists(outDir)) return AlreadyExtracted(zipPath, outDir, plan, expect, clock);

        var staging = outDir + ".partial";
        var resuming = Directory.Exists(staging);
        if (resuming) log($"{Path.GetFileName(zipPath)}: resuming the interrupted extraction in {staging}");
        Directory.CreateDirectory(staging);
        var madeDirs = new HashSet<string>(StringComparer.Ordinal);
        var fileCount = plan.Count(p => !p.Relative.EndsWith('/'));
        var totalBytes = plan.Sum(p => p.Entry.Length);
        long bytes = 0;
        int files = 0, skipped = 0;
        var progressClock = Stopwatch.StartNew();
        var lastPrint = TimeSpan.Zero;
        foreach (var (entry, relative) in plan)
        {
            cancel.ThrowIfCancellationRequested();
            var target = ZipEntryPolicy.Resolve(staging, relative);
            if (relative.EndsWith('/')) { Directory.CreateDirectory(target); continue; }
            var parent = Path.GetDirectoryName(target)!;
            if (madeDirs.Add(parent)) Directory.CreateDirectory(parent);
            if (resuming && new FileInfo(target) is { Exists: true } existing && existing.Length == entry.Length) skipped++;
            else ExtractEntry(zipPath, entry, target, expect is not null);
            files++;
            bytes += entry.Length;
            if (progressClock.Elapsed - lastPrint >= progressInterval)
            {
                lastPrint = progressClock.Elapsed;
                var rate = bytes / Math.Max(progressClock.Elapsed.TotalSeconds, 1e-3);
                log($"{Path.GetFileName(zipPath)}: {files:N0}/{fileCount:N0} files, " +
                    $"{ProgressReporter.Bytes(bytes)} / {ProgressReporter.Bytes(totalBytes)}, {ProgressReporter.Bytes((long)rate)}/s, " +
                    $"ETA {ProgressReporter.Duration(TimeSpan.FromSeconds(rate > 0 ? (totalBytes - bytes) / rate : 0))}");
            }
        }

        int? identities;
        try { identities = expect is null ? null : DatasetLayout.Check(staging, expect); }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{e.Message}. The extracted files stay in {staging}; this zip is not the expected dataset (or the profile is not the one it was made with)", e);
        }
        Directory.Move(staging, outDir);
        log($"{Path.GetFileName(zipPath)}: extracted {files:N0} files ({ProgressReporter.Bytes(bytes)}) to {outDir} in {ProgressReporter.Duration(clock.Elapsed)}" +
            (skipped > 0 ? $", {skipped:N0} kept from an interrupted run" : "") +
            (identities is { } n ? $"; dataset {expect!.Name} has the recipe's layout ({n:N0} ids)" : ""));
        return new ExtractResult(outDir, files, bytes, skipped, identities, clock.Elapsed);
    }

    /// <summary>
    /// OUT only ever appears by renaming a finished extraction, so an OUT holding every entry at its size is this
    /// zip's result (a rerun after a later step failed); anything else is not ours to overwrite.
    /// </summary>
    ExtractResult AlreadyExtracted(string zipPath, string outDir, List<(ZipArchiveEntry Entry, string Relative)> plan,
        DatasetExpectation? expect, Stopwatch clock)
    {
        var different = plan.Where(p => !p.Relative.EndsWith('/'))
            .Where(p => new FileInfo(ZipEntryPolicy.Resolve(outDir, p.Relative)) is not { Exists: true } f || f.Length != p.Entry.Length)
            .Select(p => p.Relative).Take(3).ToList();
        if (different.Count > 0)
            throw new IOException($"{outDir} already exists but does not hold {Path.GetFileName(zipPath)}'s files (e.g. {string.Join(", ", different)} missing or of another size); " +
                                  "delete it to extract again");
        int? ids = null;
        if (expect is not null)
        {
            try { ids = DatasetLayout.Check(outDir, expect); }
            catch (InvalidDataException e) { throw new InvalidDataException($"{e.Message}. {outDir} already exists; delete it to extract {Path.GetFileName(zipPath)} again", e); }
        }
        log($"{outDir} already holds the {plan.Count:N0} entries of {Path.GetFileName(zipPath)}" +
            (ids is { } n ? $" and dataset {expect!.Name} has the recipe's layout ({n:N0} ids)" : "") + "; nothing to do");
        return new ExtractResult(outDir, 0, 0, 0, ids, clock.Elapsed);
    }

    static ZipArchive Open(string zipPath, Stream stream)
    {
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(
                $"{zipPath} ({stream.Length:N0} bytes) is not a complete zip archive ({e.Message}); it is truncated or damaged. " +
                "Delete it and download it again.", e);
        }
    }

    /// <summary>Every entry checked and mapped to its path under the output folder, before anything is written.</summary>
    List<(ZipArchiveEntry Entry, string Relative)> Plan(string zipPath, long zipLength, ZipArchive archive, DatasetExpectation? expect)
    {
        var refusals = new List<string>();
        var entries = new List<(ZipArchiveEntry, string)>();
        foreach (var entry in archive.Entries)
        {
            var (name, refusal) = ZipEntryPolicy.Inspect(entry, zipLength);
            if (refusal is not null) { refusals.Add(refusal); continue; }
            if (ZipEntryPolicy.IsDebris(name!)) continue;
            entries.Add((entry, name!));
        }
        if (refusals.Count > 0)
            throw new InvalidDataException($"{zipPath} is refused, nothing was extracted: {string.Join("; ", refusals.Take(5))}" +
                                           (refusals.Count > 5 ? $" (and {refusals.Count - 5} more)" : "") +
                                           ". It is not the expected archive: delete it and give the right file or source");
        if (expect is null) return entries;

        var map = DatasetRoot(entries.Select(e => e.Item2).Where(n => !n.EndsWith('/')).ToList(), expect.Name);
        if (map.Note is not null) log($"{Path.GetFileName(zipPath)}: {map.Note}");
        return [.. entries.Select(e => (e.Item1, map.Apply(e.Item2))).Where(e => e.Item2.Length > 0)];
    }

    /// <summary>How entry names map onto NAME/...: as they are, flat files moved into NAME/, or a wrapping folder removed/renamed.</summary>
    internal static (Func<string, string> Apply, string? Note) DatasetRoot(IReadOnlyList<string> files, string name)
    {
        if (files.Count == 0 || files.All(f => f.StartsWith(name + "/", StringComparison.Ordinal))) return (f => f, null);
        if (files.All(f => !f.Contains('/'))) return (f => f.EndsWith('/') ? "" : name + "/" + f, $"entries have no folder; placing them in {name}/");
        var folders = files.Select(f => f[..(f.LastIndexOf('/') + 1)]).Distinct().ToList();
        if (folders.Count == 1)
        {
            var prefix = folders[0];
            return (f => f.StartsWith(prefix, StringComparison.Ordinal) && f.Length > prefix.Length ? name + "/" + f[prefix.Length..] : "",
                $"all files are in {prefix}; placing them in {name}/");
        }
        return (f => f, null); // an unknown shape: the layout check names what is wrong
    }

    static void ExtractEntry(string zipPath, ZipArchiveEntry entry, string target, bool jpegCheck)
    {
        var crc = new Crc32();
        long written = 0;
        var notJpeg = false;
        var overflow = false;
        try
        {
            // Synchronous on purpose: datasets are millions of ~50 KB entries, where async overhead dominates.
            using var input = entry.Open();
            using var output = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
            var buffer = Buffer.Value!;
            int n;
            while ((n = input.Read(buffer)) > 0)
            {
                if (written + n > entry.Length)
                {
                    overflow = true; // a lying header: more bytes than declared; stop before writing them
                    break;
                }
                if (written == 0 && jpegCheck && target.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase)
                    && (n < 3 || buffer[0] != 0xFF || buffer[1] != 0xD8 || buffer[2] != 0xFF))
                {
                    notJpeg = true;
                    break;
                }
                output.Write(buffer, 0, n);
                crc.Append(buffer.AsSpan(0, n));
                written += n;
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            File.Delete(target);
            throw new InvalidDataException($"{zipPath} is damaged: entry '{entry.FullName}' cannot be read ({e.Message}). Delete the zip and download it again.", e);
        }
        catch
        {
            File.Delete(target);
            throw;
        }
        if (overflow)
        {
            File.Delete(target);
            throw new InvalidDataException(
                $"{zipPath}: entry '{entry.FullName}' inflates to more than the {entry.Length:N0} bytes its header declares; extraction stopped there. " +
                "The archive is damaged or hostile (a zip bomb); delete it and download it again.");
        }
        if (notJpeg)
        {
            File.Delete(target);
            throw new InvalidDataException($"{zipPath}: entry '{entry.FullName}' is named .jpg but is not a JPEG; this is not a dataset zip of the recipe");
        }
        if (written != entry.Length || crc.GetCurrentHashAsUInt32() != entry.Crc32)
        {
            File.Delete(target);
            throw new InvalidDataException(
                $"{zipPath} is damaged: entry '{entry.FullName}' gave {written:N0} bytes with CRC-32 {crc.GetCurrentHashAsUInt32():x8}, " +
                $"the archive says {entry.Length:N0} bytes with {entry.Crc32:x8}. Delete the zip and download it again.");
        }
    }
}
