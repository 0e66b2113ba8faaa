using System.Text.Json;

namespace Isc.Artifacts;

/// <summary>
/// Stamps of one artifacts root, one JSON file per artifact under <c>.stamps/</c>. A stamp is written
/// last and atomically, after every output is complete; a missing or unreadable stamp means "not built".
/// </summary>
public sealed class StampStore(string root)
{
    public string Root { get; } = Path.GetFullPath(root);
    public string Directory => Path.Combine(Root, ".stamps");

    /// <summary>File-system-safe form of an artifact id ("Dataset:isc_100k_256_big" → "Dataset@isc_100k_256_big").</summary>
    public static string SafeName(string artifact) => artifact.Replace(':', '@').Replace('/', '_').Replace('\\', '_');

    public string PathOf(string artifact) => Path.Combine(Directory, SafeName(artifact) + ".json");

    /// <summary>Where the build writes the step spec of an artifact; its worker commands read their settings from it.</summary>
    public string SpecPathOf(string artifact) => Path.Combine(Directory, SafeName(artifact) + ".spec.json");

    public Stamp? Read(string artifact)
    {
        var path = PathOf(artifact);
        if (!File.Exists(path)) return null;
        try
        {
            var stamp = JsonSerializer.Deserialize<Stamp>(File.ReadAllText(path), Stamp.Json);
            return stamp is not null && stamp.Hash == stamp.ComputeHash() ? stamp : null;
        }
        catch (JsonException) { return null; }
    }

    public void Write(Stamp stamp) =>
        AtomicFile.WriteAllText(PathOf(stamp.Artifact), JsonSerializer.Serialize(stamp.WithHash(), Stamp.Json));

    public void Delete(string artifact)
    {
        var path = PathOf(artifact);
        if (File.Exists(path)) File.Delete(path);
    }

    public string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.Combine(Root, path);

    /// <summary>Fingerprints a finished output for a stamp.</summary>
    public OutputRecord Record(OutputSpec output)
    {
        var full = Resolve(output.Path);
        if (output.Kind == OutputKind.Directory)
        {
            if (!System.IO.Directory.Exists(full)) throw new IOException($"the step finished but its output folder {full} does not exist");
            return RecordFolder(output.Path, FolderListing.Of(full));
        }
        var info = new FileInfo(full);
        if (!info.Exists) throw new IOException($"the step finished but its output file {full} does not exist");
        return new OutputRecord(output.Path, output.Kind, info.Length, info.LastWriteTimeUtc.Ticks, Fingerprint.OfFile(full));
    }

    /// <summary>Where a folder output's listing is kept, so a later check can name the files that went missing.</summary>
    public string ListingPathOf(string outputPath) => Path.Combine(Directory, "listings", SafeName(outputPath.TrimStart('/')) + ".txt.gz");

    OutputRecord RecordFolder(string path, FolderListing listing, bool listingOptional = false)
    {
        // The saved names only make a later "missing" message name an example; a check on a read-only root goes on without them.
        try { listing.Save(ListingPathOf(path)); }
        catch (Exception e) when (listingOptional && e is IOException or UnauthorizedAccessException) { }
        return new OutputRecord(path, OutputKind.Directory, listing.Files.Count, listing.Folders[""], null)
        {
            Folders = listing.Folders,
            Listing = listing.Hash,
        };
    }

    /// <summary>
    /// Checks a recorded output against the disk. A file whose size and mtime are unchanged is trusted;
    /// one whose mtime moved (touched, copied) is re-hashed, so a touch without a content change is not a change.
    /// A folder whose folder mtimes are unchanged is trusted without listing it; when one moved, it is listed and
    /// compared with the recorded listing. Returns null when unchanged (<paramref name="refreshed"/> is then
    /// <paramref name="output"/> itself unless new times are worth remembering), else the reason.
    /// </summary>
    public string? Check(OutputRecord output, out OutputRecord refreshed)
    {
        refreshed = output;
        var full = Resolve(output.Path);
        if (output.Kind == OutputKind.Directory) return CheckFolder(output, full, out refreshed);
        var info = new FileInfo(full);
        if (!info.Exists) return $"output {output.Path} missing";
        if (info.Length == output.Size && info.LastWriteTimeUtc.Ticks == output.MtimeTicks) return null;
        if (info.Length != output.Size) return $"output {output.Path} changed (size {output.Size} → {info.Length})";
        var hash = Fingerprint.OfFile(full);
        if (hash != output.Sha256) return $"output {output.Path} changed (content)";
        refreshed = output with { MtimeTicks = info.LastWriteTimeUtc.Ticks };
        return null;
    }

    string? CheckFolder(OutputRecord output, string full, out OutputRecord refreshed)
    {
        refreshed = output;
        if (!System.IO.Directory.Exists(full)) return $"output {output.Path} missing";
        if (output is { Folders: { } folders, Listing: not null } && FolderListing.TimesUnchanged(full, folders)) return null;

        var now = FolderListing.Of(full);
        // A stamp from before folders were tracked: what is there now is adopted as built (Verify checks it against the manifest).
        if (output.Listing is null) { refreshed = RecordFolder(output.Path, now, listingOptional: true); return null; }
        if (now.Hash == output.Listing)
        {
            // Touched, or a file added and removed again: remember the new times so the next check need not list it.
            refreshed = output with { MtimeTicks = now.Folders[""], Folders = now.Folders };
            return null;
        }
        var then = FolderListing.Load(ListingPathOf(output.Path), output.Listing);
        var differences = then is null ? [] : FolderListing.Differences(then, now.Files);
        return differences.Count > 0
            ? $"output {output.Path}: {string.Join("; ", differences)}"
            : $"output {output.Path}: its files changed since it was built ({output.Size} then, {now.Files.Count} now)";
    }
}
