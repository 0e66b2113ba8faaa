using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Isc.Recipe.Chains;

namespace Isc.Imaging.Generation;

/// <summary>
/// manifest.json, written last and atomically: identity counts, ids dropped for divisibility, settings, the chain,
/// the id → source map, and every file with its size and SHA-256. Streamed in id order, batch by batch, so memory does
/// not grow with the dataset.
/// </summary>
public static class Manifest
{
    const int Batch = 512;

    public static string FingerprintHash(SortedDictionary<string, string> fp) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(GenerationFingerprint.ToJson(fp))));

    public static void Write(GenerationRequest r, IdentityPlan plan, SortedDictionary<string, string> fp, Chain chain, CancellationToken cancel)
    {
        var gen = r.Profile.Generation;
        AtomicFile.Write(r.ManifestPath, stream =>
        {
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            w.WriteStartObject();
            w.WriteString("dataset", r.Dataset.Name);
            w.WriteString("fingerprint", FingerprintHash(fp));
            w.WriteBoolean("complete", true);
            w.WriteString("profile", r.Profile.Name);
            w.WriteNumber("identities", plan.Identities.Count);
            w.WriteNumber("imagesPerId", gen.ImagesPerId);
            w.WriteNumber("images", (long)plan.Identities.Count * gen.ImagesPerId);
            w.WriteNumber("baseIdentities", plan.BaseIdentities);
            w.WriteNumber("faceIdentities", plan.FaceIdentities);
            w.WriteNumber("identitiesDivisibleBy", gen.IdentitiesDivisibleBy);
            w.WriteStartArray("droppedForDivisibility");
            foreach (var d in plan.Dropped) WriteIdentity(w, d);
            w.WriteEndArray();
            w.WriteStartObject("settings");
            foreach (var (k, v) in fp) if (k != "chain") w.WriteString(k, v);
            w.WriteEndObject();
            w.WriteStartArray("chain");
            foreach (var line in chain.Describe().Split('\n', StringSplitOptions.RemoveEmptyEntries)) w.WriteStringValue(line);
            w.WriteEndArray();
            w.WriteStartArray("identityList");
            foreach (var d in plan.Identities) WriteIdentity(w, d);
            w.WriteEndArray();
            w.WriteStartArray("files");
            var entries = new (long Bytes, string Sha)[Batch * gen.ImagesPerId];
            for (var start = 0; start < plan.Identities.Count; start += Batch)
            {
                cancel.ThrowIfCancellationRequested();
                var n = Math.Min(Batch, plan.Identities.Count - start);
                Parallel.For(0, n * gen.ImagesPerId, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, r.Jobs) }, i =>
                {
                    var id = plan.Identities[start + i / gen.ImagesPerId].Id;
                    var path = Path.Combine(r.ImagesDirectory, GenerationRequest.ImageName(id, i % gen.ImagesPerId));
                    if (!File.Exists(path)) throw new GenerationInputException($"{path} is missing after generation; run again");
                    var bytes = File.ReadAllBytes(path);
                    entries[i] = (bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)));
                });
                for (var i = 0; i < n * gen.ImagesPerId; i++)
                {
                    var id = plan.Identities[start + i / gen.ImagesPerId].Id;
                    w.WriteStartObject();
                    w.WriteString("path", $"{r.Dataset.Name}/{GenerationRequest.ImageName(id, i % gen.ImagesPerId)}");
                    w.WriteNumber("bytes", entries[i].Bytes);
                    w.WriteString("sha256", entries[i].Sha);
                    w.WriteEndObject();
                }
                w.Flush();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    static void WriteIdentity(Utf8JsonWriter w, Identity d)
    {
        w.WriteStartObject();
        w.WriteNumber("id", d.Id);
        w.WriteString("source", d.SourceName);
        w.WriteBoolean("face", d.FromFaces);
        w.WriteEndObject();
    }

    /// <summary>True when a manifest exists whose fingerprint matches (it sits near the top; only that part is read).</summary>
    public static bool IsComplete(string path, SortedDictionary<string, string> fp)
    {
        if (!File.Exists(path)) return false;
        var head = new byte[4096];
        int n;
        using (var fs = File.OpenRead(path)) n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var reader = new Utf8JsonReader(head.AsSpan(0, n), isFinalBlock: false, state: default);
        string? found = null;
        bool complete = false;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1) continue;
                var name = reader.GetString();
                reader.Read();
                if (name == "fingerprint") found = reader.GetString();
                if (name == "complete") complete = reader.TokenType == JsonTokenType.True;
                if (found is not null && name == "complete") break;
            }
        }
        catch (JsonException) { return false; }
        return complete && found == FingerprintHash(fp);
    }
}
