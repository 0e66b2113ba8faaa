using Isc.Imaging.Pixels;
using Isc.Recipe.Layouts;

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
            if (DatasetImageName.TryParse(Path.GetFileName(f), out var image)) { ids.Add(image.Id); maxK = Math.Max(maxK, image.K); }
        if (ids.Count == 0)
            throw new GenerationInputException($"dataset folder '{imagesDirectory}' holds no {DatasetImageName.Pattern} images");
        columns = Math.Max(columns, maxK + 1);
        var all = ids.ToArray();
        rows = Math.Min(rows, all.Length);
        var chosen = Enumerable.Range(0, rows).Select(i => all[rows == 1 ? 0 : (int)((long)i * (all.Length - 1) / (rows - 1))]).ToArray();
        var sheet = RgbImage.Filled(columns * (thumb + Gap) + Gap, rows * (thumb + Gap) + Gap, 40, 40, 40);
        for (var r = 0; r < rows; r++)
            for (var k = 0; k < columns; k++)
            {
                var path = Path.Combine(imagesDirectory, DatasetImageName.Format(chosen[r], k));
                if (!File.Exists(path)) continue;
                using var img = ImageCodec.Decode(path);
                using var small = PillowResize.Resize(img, thumb, thumb, ResizeFilter.Bilinear);
                Paste.Copy(small, sheet, Gap + k * (thumb + Gap), Gap + r * (thumb + Gap));
            }
        return sheet;
    }
}
