using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Isc.Artifacts;

namespace Isc.Build.Executors.Slurm;

/// <summary>
/// The cluster job that is making an artifact, kept beside its stamp (<c>.stamps/&lt;artifact&gt;.job</c>), so a
/// later build finds jobs still queued or running and submits no duplicate. <see cref="Work"/> fingerprints
/// what the job does (step, version, parameters, inputs, commands): a build with other settings does not adopt it.
/// </summary>
public sealed record JobRecord(string Artifact, string JobId, DateTime SubmittedUtc, string Work, string Log, string Script)
{
    static string PathOf(StampStore store, string artifact) => Path.Combine(store.Directory, StampStore.SafeName(artifact) + ".job");

    public static JobRecord? Read(StampStore store, string artifact)
    {
        var path = PathOf(store, artifact);
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<JobRecord>(File.ReadAllText(path), Stamp.Json); }
        catch (JsonException) { return null; } // an unreadable record adopts nothing; the stamp decides
    }

    public void Write(StampStore store)
    {
        Directory.CreateDirectory(store.Directory);
        AtomicFile.WriteAllText(PathOf(store, Artifact), JsonSerializer.Serialize(this, Stamp.Json));
    }

    /// <summary>What a node's step does, as a short hash: equal for the same work.</summary>
    public static string WorkOf(StepSpec spec)
    {
        var text = JsonSerializer.Serialize(new { spec.Step, spec.StepVersion, spec.Params, spec.Inputs, spec.Commands });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
