using System.Text.RegularExpressions;

namespace Isc.Training.Data;

/// <summary>
/// A generated dataset in the published layout: JPEGs named <c>{id}_{k}.jpg</c>. Identities are sorted by id and
/// numbered 0…C−1 (the class labels).
/// </summary>
public sealed partial class TrainingSet
{
    public string Folder { get; }
    public IReadOnlyList<long> Ids { get; }
    /// <summary>Image paths per label, sorted by k.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Images { get; }
    public int Classes => Ids.Count;
    public int ImageCount => Images.Sum(i => i.Count);

    TrainingSet(string folder, IReadOnlyList<long> ids, IReadOnlyList<IReadOnlyList<string>> images) =>
        (Folder, Ids, Images) = (folder, ids, images);

    [GeneratedRegex(@"^(\d+)_(\d+)\.jpe?g$", RegexOptions.IgnoreCase)]
    private static partial Regex Name();

    /// <summary>
    /// Opens <paramref name="dir"/>: the folder of JPEGs itself, or a folder holding exactly one such folder
    /// (the published zips unpack to <c>&lt;name&gt;/&lt;name&gt;/</c>).
    /// </summary>
    public static TrainingSet Open(string dir)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"dataset folder {dir} does not exist");
        var folder = dir;
        if (!Directory.EnumerateFiles(dir).Any(f => Name().IsMatch(Path.GetFileName(f))))
        {
            var subs = Directory.GetDirectories(dir).Where(d => Directory.EnumerateFiles(d).Any(f => Name().IsMatch(Path.GetFileName(f)))).ToList();
            var same = subs.FirstOrDefault(d => Path.GetFileName(d) == Path.GetFileName(Path.TrimEndingDirectorySeparator(dir)));
            folder = same ?? (subs.Count == 1 ? subs[0]
                : throw new InvalidDataException($"{dir} holds no {{id}}_{{k}}.jpg files (nor one subfolder that does); point --dataset at the generated dataset"));
        }
        var groups = new SortedDictionary<long, List<(int K, string Path)>>();
        foreach (var f in Directory.EnumerateFiles(folder))
        {
            var m = Name().Match(Path.GetFileName(f));
            if (!m.Success) continue;
            var id = long.Parse(m.Groups[1].Value);
            if (!groups.TryGetValue(id, out var list)) groups[id] = list = [];
            list.Add((int.Parse(m.Groups[2].Value), f));
        }
        if (groups.Count == 0) throw new InvalidDataException($"{folder}: no {{id}}_{{k}}.jpg files");
        return new TrainingSet(folder, [.. groups.Keys],
            [.. groups.Values.Select(l => (IReadOnlyList<string>)[.. l.OrderBy(x => x.K).Select(x => x.Path)])]);
    }
}
