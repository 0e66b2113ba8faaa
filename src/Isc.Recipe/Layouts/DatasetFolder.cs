namespace Isc.Recipe.Layouts;

/// <summary>
/// One generated (or extracted) dataset, <c>datasets/&lt;name&gt;/</c> under the artifacts root: the images in
/// <c>&lt;name&gt;/{id}_{k}.jpg</c> (the published zips unpack to the same inner folder), then
/// <c>contact_sheet.png</c>, then <c>manifest.json</c>, written last so its presence means the dataset is complete.
/// </summary>
public static class DatasetFolder
{
    public const string ManifestFileName = "manifest.json";
    public const string ContactSheetFileName = "contact_sheet.png";

    /// <summary>The dataset's folder, relative to the artifacts root.</summary>
    public static string RelativePath(Dataset dataset) => $"datasets/{dataset.Name}";

    public static string Directory(string artifactsRoot, Dataset dataset) => Path.Combine(artifactsRoot, RelativePath(dataset));

    /// <summary>The folder of its images, inside <paramref name="datasetDirectory"/>.</summary>
    public static string Images(string datasetDirectory, string datasetName) => Path.Combine(datasetDirectory, datasetName);

    public static string Manifest(string datasetDirectory) => Path.Combine(datasetDirectory, ManifestFileName);

    public static string ContactSheet(string datasetDirectory) => Path.Combine(datasetDirectory, ContactSheetFileName);
}
