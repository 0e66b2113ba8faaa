using System.Text.Json;
using System.Text.Json.Serialization;

namespace Isc.Downloads;

/// <summary>One pinned file in the lock: what its first verified download hashed to.</summary>
public sealed record LockEntry(string Sha256, long Size, string Source, DateTimeOffset Recorded);

/// <summary>
/// The downloads lock file (JSON, kept under the repository): for files the catalog has no hash for, SHA-256 and size
/// are recorded once the file has passed every check of its build step (<see cref="Pin"/>, run by `isc pin` as the
/// step's last command); every later download (here or on another machine) must match.
/// Read-modify-write runs under an exclusive <c>.lck</c> file so concurrent `isc download` processes do not lose entries.
/// </summary>
public sealed class HashLock(string path)
{
    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public LockEntry? Get(string key) => Load().Entries.GetValueOrDefault(key);

    public IReadOnlyDictionary<string, LockEntry> All() => Load().Entries;

    /// <summary>
    /// Pins <paramref name="file"/> under <paramref name="key"/>: hashes it and records it if the key is new, else checks it
    /// against the pin. Returns true if it recorded. Call it only once every check of the file has passed.
    /// </summary>
    public async Task<bool> Pin(string key, string file, string source, CancellationToken cancel = default)
    {
        if (!File.Exists(file)) throw new DownloadException($"{key}: cannot pin {file}: it does not exist");
        var sha = await FileHash.Sha256Async(file, cancel);
        return RecordOrVerify(key, new LockEntry(sha, new FileInfo(file).Length, source, DateTimeOffset.UtcNow));
    }

    /// <summary>
    /// Records <paramref name="entry"/> under <paramref name="key"/> if the key is new; returns true if it recorded.
    /// If another process recorded the key meanwhile, the entries must agree or this throws.
    /// </summary>
    public bool RecordOrVerify(string key, LockEntry entry)
    {
        using var guard = AcquireGuard();
        var file = Load();
        if (file.Entries.TryGetValue(key, out var existing))
        {
            Check(key, existing, entry.Sha256, entry.Size);
            return false;
        }
        file.Entries[key] = entry;
        Save(file);
        return true;
    }

    /// <summary>Throws a <see cref="VerificationException"/> if <paramref name="sha256"/>/<paramref name="size"/> differ from the pinned entry.</summary>
    public void Check(string key, LockEntry pinned, string sha256, long size)
    {
        if (!string.Equals(pinned.Sha256, sha256, StringComparison.OrdinalIgnoreCase) || pinned.Size != size)
            throw new VerificationException(
                $"{key}: the file hashes to {sha256} ({size:N0} bytes) but {Path} pinned it as {pinned.Sha256} ({pinned.Size:N0} bytes, " +
                $"recorded {pinned.Recorded:u} from {pinned.Source}). It is not the pinned file: the source changed, the file is damaged, or it is another file. " +
                $"If the change is intended, delete the \"{key}\" entry from the lock file and download again.");
    }

    LockFileModel Load()
    {
        if (!File.Exists(Path)) return new LockFileModel();
        try
        {
            var model = JsonSerializer.Deserialize<LockFileModel>(File.ReadAllText(Path), Json) ?? new LockFileModel();
            model.Entries = new SortedDictionary<string, LockEntry>(model.Entries, StringComparer.Ordinal);
            return model;
        }
        catch (JsonException e)
        {
            throw new DownloadException($"the downloads lock file {Path} is not valid JSON ({e.Message}); fix it or restore it from version control");
        }
    }

    void Save(LockFileModel model)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var temp = Path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(model, Json) + "\n");
        File.Move(temp, Path, overwrite: true);
    }

    FileStream AcquireGuard()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var guardPath = Path + ".lck";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                return new FileStream(guardPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(Random.Shared.Next(10, 50));
            }
        }
    }

    sealed class LockFileModel
    {
        public int Version { get; set; } = 1;
        public string Comment { get; set; } = "SHA-256 pins of downloaded files without a catalog hash; written by isc pin once a file passed its step's checks, checked by every later download.";
        public SortedDictionary<string, LockEntry> Entries { get; set; } = new(StringComparer.Ordinal);
    }
}
