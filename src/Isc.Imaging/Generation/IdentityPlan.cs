using Isc.Recipe;

namespace Isc.Imaging.Generation;

/// <summary>One identity of a dataset: its number (the file-name prefix) and the training image it comes from.</summary>
public sealed record Identity(int Id, string SourceName, bool FromFaces);

/// <summary>
/// Which training image becomes which id. Every image whose sorted index is a multiple of the stride is id
/// index/stride; face datasets append the listed face images that are not already identities (sorted, capped by
/// MaxFaceIdentities), numbered after them. Then whole ids are dropped from the end until the count is divisible
/// (at most MaxIdsDropped, else an error).
/// </summary>
public sealed record IdentityPlan(IReadOnlyList<Identity> Identities, IReadOnlyList<Identity> Dropped, int BaseIdentities, int FaceIdentities)
{
    public static IdentityPlan Build(IReadOnlyList<string> sortedNames, SourceSettings source, GenerationSettings gen,
        IReadOnlyList<string>? faceNames)
    {
        var ids = new List<Identity>();
        for (var i = 0; i < sortedNames.Count; i += source.IdStride) ids.Add(new Identity(i / source.IdStride, sortedNames[i], false));
        var baseCount = ids.Count;
        var faceCount = 0;
        if (faceNames is not null)
        {
            var used = ids.Select(d => d.SourceName).ToHashSet(StringComparer.Ordinal);
            var faces = faceNames.Where(n => !used.Contains(n)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (gen.MaxFaceIdentities > 0 && faces.Count > gen.MaxFaceIdentities) faces = faces[..gen.MaxFaceIdentities];
            foreach (var f in faces) ids.Add(new Identity(ids.Count, f, true));
            faceCount = faces.Count;
        }
        var div = Math.Max(1, gen.IdentitiesDivisibleBy);
        var drop = ids.Count % div;
        if (drop > gen.MaxIdsDropped)
            throw new GenerationInputException(
                $"{ids.Count} identities: making the count divisible by {div} needs dropping {drop} ids, more than the allowed {gen.MaxIdsDropped}");
        var dropped = ids.GetRange(ids.Count - drop, drop);
        ids.RemoveRange(ids.Count - drop, drop);
        if (ids.Count == 0) throw new GenerationInputException("no identities left to generate");
        return new IdentityPlan(ids, dropped, baseCount, faceCount);
    }

    /// <summary>Reads a face list: one training-image name per line, blank lines and '#' comments ignored; every name must exist.</summary>
    public static IReadOnlyList<string> ReadFaceList(string path, IReadOnlyCollection<string> sourceNames)
    {
        if (!File.Exists(path))
            throw new GenerationInputException($"face list '{path}' does not exist; make it with `isc faces` or pass your own list (one image name per line)");
        var known = sourceNames as HashSet<string> ?? sourceNames.ToHashSet(StringComparer.Ordinal);
        var names = File.ReadLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var unknown = names.Where(n => !known.Contains(n)).ToList();
        if (unknown.Count > 0)
            throw new GenerationInputException(
                $"face list '{path}' names {unknown.Count} image(s) not in the source folder, e.g. {string.Join(", ", unknown.Take(5))}");
        return names;
    }
}
