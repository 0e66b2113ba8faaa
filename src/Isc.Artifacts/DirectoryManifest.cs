using System.Text.Json;

namespace Isc.Artifacts;

/// <summary>A folder's files with their sizes and SHA-256s, sorted by name; saved atomically.</summary>
public sealed record DirectoryManifest(List<DirectoryManifest.Entry> Files)
{
    public sealed record Entry(string Name, long Size, string Sha256);

    public long TotalBytes => Files.Sum(f => f.Size);

    public static DirectoryManifest Build(string directory) =>
        new([.. Directory.EnumerateFiles(directory)
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .AsParallel().AsOrdered()
            .Select(f => new Entry(Path.GetFileName(f), new FileInfo(f).Length, Fingerprint.OfFile(f)))]);

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Stamp.Json));

    public static DirectoryManifest Load(string path) =>
        JsonSerializer.Deserialize<DirectoryManifest>(File.ReadAllText(path), Stamp.Json)
        ?? throw new InvalidDataException($"manifest {path} is empty");
}
