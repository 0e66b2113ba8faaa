using Isc.Recipe.Layouts;

namespace Isc.Training.Data;

/// <summary>
/// A generated dataset in the published layout: JPEGs named <c>{id}_{k}.jpg</c> (<see cref="DatasetImageName"/>; other
/// files are ignored). Identities are sorted by id and numbered 0…C−1 (the class labels).
/// </summary>
public sealed class TrainingSet
{
    public string Folder { get; }
    public IReadOnlyList<long> Ids { get; }
    /// <summary>Image paths per label, sorted by k.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Images { get; }
    public int Classes => Ids.Count;
    public int ImageCount => Images.Sum(i => i.Count);

    TrainingSet(string folder, IReadOnlyList<long> ids, IReadOnlyList<IReadOnlyList<string>> images) =>
        (Folder, Ids, Images) = (folder, ids, images);

    static bool IsImage(string path) => DatasetImageName.TryParse(Path.GetFileName(path), out _);

    /// <summary>
    /// Opens <paramref name="dir"/>: the folder of JPEGs itself, or a folder holding exactly one such folder
    /// (the published zips unpack to <c>&lt;name&gt;/&lt;name&gt;/</c>).
    /// </summary>
    public static TrainingSet Open(string dir)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"dataset folder {dir} does not exist");
        var folder = dir;
        if (!Directory.EnumerateFiles(dir).Any(IsImage))
        {
            var subs = Directory.GetDirectories(dir).Where(d => Directory.EnumerateFiles(d).Any(IsImage)).ToList();
            var same = subs.FirstOrDefault(d => Path.GetFileName(d) == Path.GetFileName(Path.TrimEndingDirectorySeparator(dir)));
            folder = same ?? (subs.Count == 1 ? subs[0]
                : throw new InvalidDataException($"{dir} holds no {{id}}_{{k}}.jpg files (nor one subfolder that does); point --dataset at the generated dataset"));
        }
        var groups = new SortedDictionary<long, List<(int K, string Path)>>();
        foreach (var f in Directory.EnumerateFiles(folder))
        {
            if (!DatasetImageName.TryParse(Path.GetFileName(f), out var name)) continue;
            if (!groups.TryGetValue(name.Id, out var list)) groups[name.Id] = list = [];
            list.Add((name.K, f));
        }
        if (groups.Count == 0) throw new InvalidDataException($"{folder}: no {{id}}_{{k}}.jpg files");
        return new TrainingSet(folder, [.. groups.Keys],
            [.. groups.Values.Select(l => (IReadOnlyList<string>)[.. l.OrderBy(x => x.K).Select(x => x.Path)])]);
    }
}
