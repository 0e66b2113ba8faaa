using System.Security.Cryptography;
using System.Text.Json;
using Isc.Recipe.Layouts;

namespace Isc.Imaging.Generation;

/// <summary>
/// Checks a generated dataset against its manifest and the recipe's layout: {id}_{k}.jpg names, the
/// same number of images per id, an identity count divisible as required, every file present with the
/// recorded size (and, when deep, the recorded SHA-256), and no file in the image folder the manifest does not list.
/// </summary>
public static class ManifestCheck
{
    public sealed record Result(int Identities, int Images, List<string> Problems);

    public static Result Check(string datasetDirectory, string datasetName, bool deep)
    {
        var manifestPath = DatasetFolder.Manifest(datasetDirectory);
        if (!File.Exists(manifestPath)) return new Result(0, 0, [$"no {DatasetFolder.ManifestFileName} in {datasetDirectory}"]);
        using var doc = JsonDocument.Parse(File.ReadAllText(manifestPath));
        var root = doc.RootElement;
        var problems = new List<string>();
        int Int(string name) => root.TryGetProperty(name, out var v) && v.TryGetInt32(out var i) ? i : -1;
        var identities = Int("identities");
        var perId = Int("imagesPerId");
        var divisor = Int("identitiesDivisibleBy");
        if (identities <= 0 || perId <= 0) problems.Add("manifest lacks identities/imagesPerId");
        if (divisor > 0 && identities % divisor != 0) problems.Add($"{identities} identities is not divisible by {divisor}");

        var perIdentity = new Dictionary<int, int>();
        var files = root.GetProperty("files").EnumerateArray().ToList();
        if (files.Count != (long)identities * perId) problems.Add($"manifest lists {files.Count} files, expected {identities} × {perId}");
        var bad = new List<string>();
        Parallel.ForEach(files, f =>
        {
            var rel = f.GetProperty("path").GetString() ?? "";
            string? problem = null;
            if (!IsImageOf(datasetName, rel, out var image) || image.K >= perId) problem = $"{rel}: not a {DatasetImageName.Pattern} name of this dataset";
            else
            {
                var full = Path.Combine(datasetDirectory, rel);
                var info = new FileInfo(full);
                if (!info.Exists) problem = $"{rel}: missing";
                else if (info.Length != f.GetProperty("bytes").GetInt64()) problem = $"{rel}: {info.Length} bytes, manifest says {f.GetProperty("bytes").GetInt64()}";
                else if (deep && Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(full))) != f.GetProperty("sha256").GetString())
                    problem = $"{rel}: content differs from the manifest";
                lock (perIdentity)
                {
                    perIdentity[image.Id] = perIdentity.GetValueOrDefault(image.Id) + 1;
                }
            }
            if (problem is not null) lock (bad) bad.Add(problem);
        });
        bad.Sort(StringComparer.Ordinal);
        if (bad.Count > 0) problems.Add($"{bad.Count} file problem(s), e.g. {string.Join("; ", bad.Take(3))}");
        var listed = files.Select(f => f.GetProperty("path").GetString() ?? "").ToHashSet(StringComparer.Ordinal);
        var imagesDirectory = DatasetFolder.Images(datasetDirectory, datasetName);
        var extra = Directory.Exists(imagesDirectory)
            ? Directory.EnumerateFiles(imagesDirectory).Select(f => $"{datasetName}/{Path.GetFileName(f)}").Where(rel => !listed.Contains(rel)).Order(StringComparer.Ordinal).ToList()
            : [];
        if (extra.Count > 0) problems.Add($"{extra.Count} file(s) the manifest does not list, e.g. {string.Join(", ", extra.Take(3))}");
        var uneven = perIdentity.Where(kv => kv.Value != perId).Select(kv => kv.Key).ToList();
        if (uneven.Count > 0) problems.Add($"{uneven.Count} id(s) without exactly {perId} images, e.g. {string.Join(", ", uneven.Take(3))}");
        if (perIdentity.Count != identities && bad.Count == 0) problems.Add($"{perIdentity.Count} distinct ids, manifest says {identities}");
        return new Result(identities, files.Count, problems);
    }

    /// <summary>A manifest path <c>&lt;dataset&gt;/{id}_{k}.jpg</c>.</summary>
    static bool IsImageOf(string datasetName, string relativePath, out DatasetImageName image)
    {
        image = default;
        var slash = relativePath.IndexOf('/');
        return slash >= 0 && relativePath.AsSpan(0, slash).SequenceEqual(datasetName) && DatasetImageName.TryParse(relativePath[(slash + 1)..], out image);
    }
}
