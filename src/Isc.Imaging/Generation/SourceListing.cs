namespace Isc.Imaging.Generation;

/// <summary>The training images: the folder's .jpg/.jpeg files sorted by name (ordinal), as the original script's sorted(os.listdir) (docs/recipe.md, Datasets).</summary>
public static class SourceListing
{
    public static string[] List(string directory, int expected)
    {
        if (!Directory.Exists(directory))
            throw new GenerationInputException($"source folder '{directory}' does not exist; pass --source <folder of the training JPEGs>");
        var names = Directory.EnumerateFiles(directory)
            .Select(Path.GetFileName)
            .Where(n => n is not null && (n.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || n.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase)))
            .Select(n => n!)
            .Order(StringComparer.Ordinal).ToArray();
        if (names.Length == 0)
            throw new GenerationInputException($"source folder '{directory}' holds no .jpg/.jpeg files; is it the training-image folder (T000000.jpg ...)?");
        if (names.Length != expected)
            throw new GenerationInputException(
                $"source folder '{directory}' holds {names.Length} JPEGs but the profile expects {expected}; " +
                $"a short or mixed folder would silently change the ids. Fix the folder, or state the size with {Isc.Recipe.SettingAdvice.Set("Source", nameof(Isc.Recipe.SourceSettings.TrainingImages), names.Length)}");
        return names;
    }
}
