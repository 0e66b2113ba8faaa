namespace Isc.Artifacts;

public enum OutputKind
{
    /// <summary>A file, identified by its SHA-256 (re-hashed only when its size or modification time moves).</summary>
    File,

    /// <summary>
    /// A folder whose files must be those the step left (names and sizes; see <see cref="FolderListing"/>); the
    /// bytes are vouched for by a file output (a manifest) of the same step, and checked by Verify --deep.
    /// </summary>
    Directory,
}

/// <summary>An output a step declares. Path is relative to the artifacts root, or absolute outside it.</summary>
public sealed record OutputSpec(string Path, OutputKind Kind);

/// <summary>
/// A recorded output: what the step wrote, as the stamp remembers it. A file: its size, mtime and SHA-256. A folder:
/// its file count (<see cref="Size"/>), the hash of its listing and the mtimes of its folders.
/// </summary>
public sealed record OutputRecord(string Path, OutputKind Kind, long Size, long MtimeTicks, string? Sha256)
{
    /// <summary>A folder output: the modification time (ticks) of the folder ("") and of each sub-folder, by relative path.
    /// Null in stamps written before folders were tracked.</summary>
    public SortedDictionary<string, long>? Folders { get; init; }

    /// <summary>A folder output: <see cref="FolderListing.Hash"/> of its files when the step finished.</summary>
    public string? Listing { get; init; }
}
