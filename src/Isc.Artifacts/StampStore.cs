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
            return new OutputRecord(output.Path, output.Kind, 0, 0, null);
        }
        var info = new FileInfo(full);
        if (!info.Exists) throw new IOException($"the step finished but its output file {full} does not exist");
        return new OutputRecord(output.Path, output.Kind, info.Length, info.LastWriteTimeUtc.Ticks, Fingerprint.OfFile(full));
    }

    /// <summary>
    /// Checks a recorded output against the disk. A file whose size and mtime are unchanged is trusted;
    /// one whose mtime moved (touched, copied) is re-hashed, so a touch without a content change is not a change.
    /// Returns null when unchanged, else the reason.
    /// </summary>
    public string? Check(OutputRecord output, out OutputRecord refreshed)
    {
        refreshed = output;
        var full = Resolve(output.Path);
        if (output.Kind == OutputKind.Directory)
            return System.IO.Directory.Exists(full) ? null : $"output {output.Path} missing";
        var info = new FileInfo(full);
        if (!info.Exists) return $"output {output.Path} missing";
        if (info.Length == output.Size && info.LastWriteTimeUtc.Ticks == output.MtimeTicks) return null;
        if (info.Length != output.Size) return $"output {output.Path} changed (size {output.Size} → {info.Length})";
        var hash = Fingerprint.OfFile(full);
        if (hash != output.Sha256) return $"output {output.Path} changed (content)";
        refreshed = output with { MtimeTicks = info.LastWriteTimeUtc.Ticks };
        return null;
    }
}
