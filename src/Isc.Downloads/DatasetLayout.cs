using Isc.Recipe;
using Isc.Recipe.Layouts;

namespace Isc.Downloads;

/// <summary>What an extracted dataset must look like (docs/recipe.md, Datasets): <c>NAME/{id}_{k}.jpg</c>, ids 0..N-1, k 0..ImagesPerId-1.</summary>
/// <param name="Identities">N for the plain datasets; for face datasets (extra ids) the minimum.</param>
/// <param name="ExtraIdsAllowed">ff/ff_bw add face identities after the regular ones.</param>
public sealed record DatasetExpectation(string Name, int Identities, int ImagesPerId, bool ExtraIdsAllowed)
{
    public static DatasetExpectation For(string datasetName, Profile profile)
    {
        var known = Datasets.All.FirstOrDefault(d => string.Equals(d.Name, datasetName, StringComparison.OrdinalIgnoreCase));
        return new(known?.Name ?? datasetName, profile.Source.Identities, profile.Generation.ImagesPerId, known?.AddsFaceIdentities ?? false);
    }
}

/// <summary>Checks an extracted dataset folder file by file; the error lists what is wrong and where.</summary>
public static class DatasetLayout
{
    /// <summary>Returns the number of identities found; throws <see cref="InvalidDataException"/> on any deviation.</summary>
    public static int Check(string root, DatasetExpectation expect)
    {
        var folder = Path.Combine(root, expect.Name);
        if (!Directory.Exists(folder))
        {
            var found = Directory.Exists(root) ? string.Join(", ", Directory.EnumerateFileSystemEntries(root).Select(Path.GetFileName).Take(5)) : "nothing";
            throw new InvalidDataException($"dataset {expect.Name}: expected the folder {folder}, found {found}");
        }

        var perId = new List<int>();
        var unexpected = new List<string>();
        var unexpectedCount = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder))
        {
            var name = Path.GetFileName(entry);
            if (!DatasetImageName.TryParse(name, out var image) || image.K >= expect.ImagesPerId || Directory.Exists(entry))
            {
                if (unexpectedCount++ < 5) unexpected.Add(name);
                continue;
            }
            while (perId.Count <= image.Id) perId.Add(0);
            perId[image.Id]++;
        }
        var problems = new List<string>();
        if (unexpectedCount > 0)
            problems.Add($"{unexpectedCount:N0} entries not named {DatasetImageName.Pattern} with k < {expect.ImagesPerId} (e.g. {string.Join(", ", unexpected)})");
        var ids = perId.Count;
        var incomplete = Enumerable.Range(0, ids).Where(i => perId[i] != expect.ImagesPerId).ToList();
        if (incomplete.Count > 0)
            problems.Add($"{incomplete.Count:N0} ids without exactly {expect.ImagesPerId} images (e.g. " +
                         string.Join(", ", incomplete.Take(5).Select(i => $"id {i}: {perId[i]}")) + ")");
        if (expect.ExtraIdsAllowed ? ids < expect.Identities : ids != expect.Identities)
            problems.Add($"{ids:N0} ids found, {(expect.ExtraIdsAllowed ? "at least " : "")}{expect.Identities:N0} expected");
        if (problems.Count > 0)
            throw new InvalidDataException($"dataset {expect.Name} in {folder} does not have the recipe's layout: {string.Join("; ", problems)}");
        return ids;
    }
}
