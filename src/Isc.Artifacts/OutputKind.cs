namespace Isc.Artifacts;

public enum OutputKind
{
    /// <summary>A file, identified by its SHA-256 (re-hashed only when its size or modification time moves).</summary>
    File,

    /// <summary>A folder that must exist; its content is vouched for by a file output (a manifest) of the same step.</summary>
    Directory,
}

/// <summary>An output a step declares. Path is relative to the artifacts root, or absolute outside it.</summary>
public sealed record OutputSpec(string Path, OutputKind Kind);

/// <summary>A recorded output: what the step wrote, as the stamp remembers it.</summary>
public sealed record OutputRecord(string Path, OutputKind Kind, long Size, long MtimeTicks, string? Sha256);
