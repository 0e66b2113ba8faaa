using System.Globalization;
using Isc.Imaging.Pixels;

namespace Isc.Imaging.Generation;

/// <summary>A PNG grid so a person can see each augmentation family: a few ids (rows, evenly spread) × their images k = 0… (columns).</summary>
public static class ContactSheet
{
    const int Gap = 2;

    public static RgbImage Render(string imagesDirectory, int rows, int columns, int thumb)
    {
        if (!Directory.Exists(imagesDirectory))
            throw new GenerationInputException($"dataset folder '{imagesDirectory}' does not exist");
        var ids = new SortedSet<int>();
        var maxK = -1;
        foreach (var f in Directory.EnumerateFiles(imagesDirectory, "*.jpg"))
            if (TryParse(Path.GetFileName(f), out var id, out var k)) { ids.Add(id); maxK = Math.Max(maxK, k); }
        if (ids.Count == 0)
            throw new GenerationInputException($"dataset folder '{imagesDirectory}' holds no {{id}}_{{k}}.jpg images");
        columns = Math.Max(columns, maxK + 1);
        var all = ids.ToArray();
        rows = Math.Min(rows, all.Length);
        var chosen = Enumerable.Range(0, rows).Select(i => all[rows == 1 ? 0 : (int)((long)i * (all.Length - 1) / (rows - 1))]).ToArray();
        var sheet = RgbImage.Filled(columns * (thumb + Gap) + Gap, rows * (thumb + Gap) + Gap, 40, 40, 40);
        for (var r = 0; r < rows; r++)
            for (var k = 0; k < columns; k++)
            {
                var path = Path.Combine(imagesDirectory, string.Create(CultureInfo.InvariantCulture, $"{chosen[r]}_{k}.jpg"));
                if (!File.Exists(path)) continue;
                using var img = ImageCodec.Decode(path);
                using var small = PillowResize.Resize(img, thumb, thumb, ResizeFilter.Bilinear);
                Paste.Copy(small, sheet, Gap + k * (thumb + Gap), Gap + r * (thumb + Gap));
            }
        return sheet;
    }

    static bool TryParse(string name, out int id, out int k)
    {
        id = k = 0;
        var stem = Path.GetFileNameWithoutExtension(name);
        var us = stem.IndexOf('_');
        return us > 0 && int.TryParse(stem.AsSpan(0, us), NumberStyles.None, CultureInfo.InvariantCulture, out id)
            && int.TryParse(stem.AsSpan(us + 1), NumberStyles.None, CultureInfo.InvariantCulture, out k);
    }
}
