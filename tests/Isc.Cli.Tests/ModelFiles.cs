using Isc.Recipe;
using Isc.Torch.Pickle;
using Isc.Torch.Runtime;
using Isc.Torch.Serialization;
using Isc.Training.Model;
using SkiaSharp;
using TorchSharp;

namespace Isc.Cli.Tests;

/// <summary>Real model and image files for the evaluation workers' tests: demo-width networks, small JPEGs.</summary>
static class ModelFiles
{
    /// <summary>Writes <paramref name="model"/>'s state_dict without the classifier, as isc trim writes a trimmed model.</summary>
    public static string SaveTrimmed(D2lvNet model, string path)
    {
        var state = new PyOrderedDict();
        foreach (var (k, v) in StateDicts.Ordered(model))
            if (!k.StartsWith("classifier_", StringComparison.Ordinal)) state.Add(k, v);
        TorchZip.Save(path, state);
        return path;
    }

    /// <summary>A trimmed demo-width model with random weights, normalisation scales and batch-norm statistics (not the init's constants).</summary>
    public static string RandomTrimmed(string path, Backbone backbone, int seed)
    {
        TorchRuntime.EnsureLoadable();
        torch.random.manual_seed(seed);
        using var model = new D2lvNet(backbone, Profiles.Demo.Model, Profiles.Demo.Model.ClassifierPieces);
        using (torch.no_grad())
            foreach (var (k, t) in StateDicts.Ordered(model))
            {
                if (k.EndsWith("running_var", StringComparison.Ordinal)) t.copy_(torch.rand_like(t) + 0.5);
                else if (k.EndsWith("running_mean", StringComparison.Ordinal)) t.copy_(torch.randn_like(t) * 0.1);
                else if (k.EndsWith(".bias", StringComparison.Ordinal)) t.copy_(torch.randn_like(t) * 0.1);
                else if (t.dim() == 1 && k.EndsWith(".weight", StringComparison.Ordinal)) t.copy_(torch.randn_like(t) * 0.1 + 1);
            }
        return SaveTrimmed(model, path);
    }

    /// <summary><paramref name="count"/> noisy colour JPEGs named img00.jpg, img01.jpg, ... in <paramref name="folder"/>.</summary>
    public static string Images(string folder, int count, int size = 40, int seed = 5)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            using var bitmap = new SKBitmap(size, size, SKColorType.Rgba8888, SKAlphaType.Opaque);
            for (var y = 0; y < size; y++)
                for (var x = 0; x < size; x++)
                    bitmap.SetPixel(x, y, new SKColor((byte)random.Next(256), (byte)((x * 6 + i * 40) % 256), (byte)((y * 6) % 256)));
            using var image = SKImage.FromBitmap(bitmap);
            using var data = image.Encode(SKEncodedImageFormat.Jpeg, 90);
            File.WriteAllBytes(Path.Combine(folder, $"img{i:D2}.jpg"), data.ToArray());
        }
        return folder;
    }
}
