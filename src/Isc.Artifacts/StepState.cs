using System.Text.Json;

namespace Isc.Artifacts;

/// <summary>
/// Binds the places a step resumes from (a training's run folder, a dataset's finished images, a download's .part)
/// to the identity of the artifact they belong to, recorded in <c>.stamps/&lt;artifact&gt;.state.json</c>.
/// Before a step runs, state of another identity (or of none recorded) is moved aside and deleted, so a step only
/// ever resumes from work done for the same inputs, parameters and step version. The caller holds the artifact's lock.
/// </summary>
public sealed class StepState(StampStore store, string artifact)
{
    /// <summary>The record of which identity the state paths currently hold.</summary>
    public sealed record Record(string Identity, ArtifactIdentity Of, List<string> Paths);

    public string RecordPath => Path.Combine(store.Directory, StampStore.SafeName(artifact) + ".state.json");

    public Record? Read()
    {
        try { return File.Exists(RecordPath) ? JsonSerializer.Deserialize<Record>(File.ReadAllText(RecordPath), Stamp.Json) : null; }
        catch (JsonException) { return null; }
    }

    /// <summary>
    /// Makes <paramref name="paths"/> (relative to the artifacts root, or absolute) hold only state of <paramref name="identity"/>:
    /// keeps them when the record says they were made for it, otherwise discards whatever exists, then records the identity.
    /// Also sweeps temporary files an interrupted run left beside them. Returns what it did, one line per action.
    /// </summary>
    public IReadOnlyList<string> Bind(ArtifactIdentity identity, IReadOnlyList<string> paths)
    {
        var notes = new List<string>();
        var hash = identity.Hash;
        var record = Read();
        var resolved = Roots(paths.Select(store.Resolve)).ToList();
        if (record is null || record.Identity != hash)
        {
            var why = record is null
                ? "no record of what it was made from"
                : $"it was made from other inputs or settings: {string.Join("; ", identity.DifferencesFrom(record.Of).DefaultIfEmpty("identity differs"))}";
            foreach (var path in resolved.Where(p => File.Exists(p) || Directory.Exists(p)))
            {
                Discard.MoveAside(path);
                notes.Add($"discarded {Describe(path)} ({why})");
            }
            AtomicFile.WriteAllText(RecordPath, JsonSerializer.Serialize(new Record(hash, identity, [.. paths]), Stamp.Json));
        }
        else if (resolved.Any(p => File.Exists(p) || Directory.Exists(p)))
            notes.Add("resuming from state made for the same inputs and settings");

        var swept = AtomicFile.SweepTemps(store.Directory, StampStore.SafeName(artifact) + ".json");
        foreach (var path in resolved)
        {
            swept += Discard.SweepBeside(path) + AtomicFile.SweepTemps(Path.GetDirectoryName(path)!, Path.GetFileName(path));
            if (Directory.Exists(path)) swept += AtomicFile.SweepTemps(path);
        }
        if (swept > 0) notes.Add($"removed {swept} temporary file(s) an interrupted run left");
        return notes;
    }

    /// <summary>Forgets the record (Clean): the next step treats whatever exists as foreign.</summary>
    public void Delete()
    {
        if (File.Exists(RecordPath)) File.Delete(RecordPath);
    }

    string Describe(string path) =>
        Path.GetRelativePath(store.Root, path) is var rel && !rel.StartsWith("..", StringComparison.Ordinal) ? rel : path;

    /// <summary>The paths that are not inside another of them (a run folder covers its checkpoints).</summary>
    static IEnumerable<string> Roots(IEnumerable<string> paths)
    {
        var full = paths.Select(p => Path.TrimEndingDirectorySeparator(Path.GetFullPath(p))).Distinct().ToList();
        return full.Where(p => !full.Any(q => q != p && p.StartsWith(q + Path.DirectorySeparatorChar, StringComparison.Ordinal)));
    }
}
