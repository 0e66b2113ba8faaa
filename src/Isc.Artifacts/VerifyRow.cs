using System.Text.Json;

namespace Isc.Artifacts;

/// <summary>
/// One row of the Verify table: an artifact, what was found, and whether that is fine. The worker's content checks
/// write these, the build's Verify merges them with its stamp checks into verify.json, and the report reads that.
/// </summary>
public sealed record VerifyRow(string Artifact, string Verdict, bool Ok)
{
    /// <summary>The build's table, in the profile's artifacts root.</summary>
    public const string FileName = "verify.json";

    public static void Save(string path, IReadOnlyList<VerifyRow> rows)
    {
        AtomicFile.SweepTemps(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileName(path));
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(rows, Stamp.Json));
    }

    /// <summary>The rows of <paramref name="path"/> (null for a JSON null); throws <see cref="JsonException"/> when it is not such a table.</summary>
    public static List<VerifyRow>? Load(string path) =>
        JsonSerializer.Deserialize<List<VerifyRow>>(File.ReadAllText(path), Stamp.Json);
}
