using System.Text.Json;
using Isc.Artifacts;
using Isc.Recipe;
using Isc.Recipe.Layouts;
using Isc.Training.Data;

namespace Isc.Training.Engine;

/// <summary>
/// <c>run.json</c> in a run folder: what its checkpoints are trained from (backbone, model and training settings, the
/// dataset's and the pretrained file's identities). A run resumes only from checkpoints of the same record, so a run
/// folder reused by hand with other settings or data is refused instead of silently continued. (Under the build, a
/// step's state is already bound to the artifact's identity; this guards <c>isc train</c> run by hand.)
/// </summary>
public static class RunRecord
{
    public const string FileName = RunFolder.RecordFileName;

    public static SortedDictionary<string, string> Of(TrainerOptions o, TrainingSet set)
    {
        var record = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["backbone"] = o.Backbone.Name,
            ["dataset"] = DatasetIdentity(set),
            ["pretrained"] = o.Pretrained is null ? "(none)" : Fingerprint.OfFile(o.Pretrained),
            // Records before it numbered identities numerically: their classifier rows stand for other identities.
            ["labels"] = "name-order",
        };
        foreach (var (k, v) in SettingsParams.ToParams(o.Model, "model.")) record[k] = v;
        foreach (var (k, v) in SettingsParams.ToParams(o.Training, "training.")) record[k] = v;
        return record;
    }

    /// <summary>
    /// Records <paramref name="record"/> for a run starting fresh, or checks it against the one a resumed run was started
    /// with; throws naming what differs. A folder with checkpoints but no record is refused too: nothing says what made them.
    /// </summary>
    public static void Check(string outDir, SortedDictionary<string, string> record, bool hasCheckpoints)
    {
        var path = Path.Combine(outDir, FileName);
        if (!hasCheckpoints)
        {
            AtomicFile.WriteAllText(path, JsonSerializer.Serialize(record, Stamp.Json));
            return;
        }
        SortedDictionary<string, string>? old = null;
        try { old = File.Exists(path) ? JsonSerializer.Deserialize<SortedDictionary<string, string>>(File.ReadAllText(path)) : null; }
        catch (JsonException) { }
        if (old is null)
            throw new InvalidDataException($"{outDir} holds checkpoints but no readable {FileName} saying what they were trained from, so they cannot be resumed safely. " +
                "Delete the folder (or pass another --out) to train from the start.");
        var changed = record.Keys.Union(old.Keys).Order(StringComparer.Ordinal)
            .Where(k => record.GetValueOrDefault(k) != old.GetValueOrDefault(k))
            .Select(k => $"{k} {Short(old.GetValueOrDefault(k))} → {Short(record.GetValueOrDefault(k))}").ToList();
        if (changed.Count > 0)
            throw new InvalidDataException($"{outDir} holds a run trained from other settings or data ({string.Join("; ", changed.Take(6))}" +
                $"{(changed.Count > 6 ? "; ..." : "")}); resuming it would mix the two. Delete the folder (or pass another --out) to train from the start.");
    }

    /// <summary>The dataset's manifest hash when it has one (a generated dataset), else the hash of its listing.</summary>
    static string DatasetIdentity(TrainingSet set)
    {
        var manifest = DatasetFolder.Manifest(Path.GetDirectoryName(set.Folder)!);
        return File.Exists(manifest) ? "manifest " + Fingerprint.OfFile(manifest) : "listing " + Fingerprint.OfListing(set.Folder).Hash;
    }

    static string Short(string? s) => s is null ? "(none)" : s.Length <= 24 ? s : s[..12] + "…";
}
