using Isc.Recipe.Layouts;

namespace Isc.Training.Data;

/// <summary>
/// A generated dataset in the published layout: JPEGs named <c>{id}_{k}.jpg</c> (<see cref="DatasetImageName"/>; other
/// files are ignored). Identities are numbered 0…C−1 (the class labels) in the original's order, <see cref="LabelOrder"/>.
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
        var groups = new Dictionary<long, List<(int K, string Path)>>();
        var names = new List<DatasetImageName>();
        foreach (var f in Directory.EnumerateFiles(folder))
        {
            if (!DatasetImageName.TryParse(Path.GetFileName(f), out var name)) continue;
            if (!groups.TryGetValue(name.Id, out var list)) groups[name.Id] = list = [];
            list.Add((name.K, f));
            names.Add(name);
        }
        if (groups.Count == 0) throw new InvalidDataException($"{folder}: no {{id}}_{{k}}.jpg files");
        var ids = LabelOrder.Ids(names);
        return new TrainingSet(folder, ids,
            [.. ids.Select(id => (IReadOnlyList<string>)[.. groups[id].OrderBy(x => x.K).Select(x => x.Path)])]);
    }
}
