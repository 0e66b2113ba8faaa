using Isc.Artifacts;
using Isc.Recipe;
using Isc.Recipe.Layouts;

namespace Isc.Imaging.Generation;

/// <summary>Verify's content check of the built datasets: each against its manifest and the recipe's layout (<see cref="ManifestCheck"/>).</summary>
public static class DatasetVerification
{
    /// <summary>One row per dataset built under <paramref name="artifactsRoot"/> (one with a manifest), with the identities its manifest records.</summary>
    public static List<(Dataset Dataset, VerifyRow Row, int Identities)> VerifyAll(string artifactsRoot, bool deep)
    {
        var rows = new List<(Dataset, VerifyRow, int)>();
        foreach (var d in Datasets.All)
        {
            var dir = DatasetFolder.Directory(artifactsRoot, d);
            if (!File.Exists(DatasetFolder.Manifest(dir))) continue;
            var r = ManifestCheck.Check(dir, d.Name, deep);
            rows.Add((d, r.Problems.Count == 0
                ? new VerifyRow(d.Target, $"{r.Identities} ids × {r.Images / Math.Max(1, r.Identities)} images, every file {(deep ? "hash" : "size")} matches the manifest", true)
                : new VerifyRow(d.Target, string.Join("; ", r.Problems), false), r.Identities));
        }
        return rows;
    }
}
