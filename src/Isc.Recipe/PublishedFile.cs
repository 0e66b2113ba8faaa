namespace Isc.Recipe;

/// <summary>
/// A file the authors published: where it can be fetched and, when known, what it must hash to.
/// Hashes not known here are pinned by the first verified download (downloads lock file).
/// </summary>
public sealed record PublishedFile(
    string FileName,
    string? Url = null,
    string? DriveId = null,
    string? Sha256 = null,
    long? Size = null)
{
    public string? DriveShareLink => DriveId is null ? null : $"https://drive.google.com/file/d/{DriveId}/view";

    /// <summary>The sources in the order they are tried: a direct URL first, then Google Drive.</summary>
    public IEnumerable<string> Sources()
    {
        if (Url is not null) yield return Url;
        if (DriveId is not null) yield return $"gdrive:{DriveId}";
    }
}

public sealed class RecipeException(string message) : Exception(message);
