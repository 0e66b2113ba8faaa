using System.Text.Json;

namespace Isc.Artifacts;

/// <summary>A folder's files with their sizes and SHA-256s, sorted by name; saved atomically.</summary>
public sealed record DirectoryManifest(List<DirectoryManifest.Entry> Files)
{
    public sealed record Entry(string Name, long Size, string Sha256);

    public long TotalBytes => Files.Sum(f => f.Size);

    public static DirectoryManifest Build(string directory) =>
        new([.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Where(name => !name.Split('/').Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal)
            .AsParallel().AsOrdered()
            .Select(name =>
            {
                var full = Path.Combine(directory, name);
                return new Entry(name, new FileInfo(full).Length, Fingerprint.OfFile(full));
            })]);

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Stamp.Json));

    public static DirectoryManifest Load(string path) =>
        JsonSerializer.Deserialize<DirectoryManifest>(File.ReadAllText(path), Stamp.Json)
        ?? throw new InvalidDataException($"manifest {path} is empty");
}
