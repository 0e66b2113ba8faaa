using Isc.Artifacts;

namespace Isc.Reporting;

/// <summary>
/// What an artifact's folder holds, from the manifest its step wrote beside it: the file count and the sum of the
/// recorded sizes (a dataset's images, not the size of its manifest file). Problem says why it could not be read.
/// </summary>
public sealed record ContentSize(long Files, long Bytes, string? Problem)
{
    /// <summary>Null when the artifact has no folder output vouched for by a manifest.</summary>
    public static ContentSize? Of(Stamp stamp, StampStore store)
    {
        if (!stamp.Outputs.Any(o => o.Kind == OutputKind.Directory)) return null;
        var manifest = stamp.Outputs.FirstOrDefault(o => o.Kind == OutputKind.File && o.Path.EndsWith("manifest.json", StringComparison.Ordinal));
        if (manifest is null) return null;
        var path = store.Resolve(manifest.Path);
        try
        {
            var totals = ManifestTotals.Read(path);
            return new ContentSize(totals.Files, totals.Bytes, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return new ContentSize(0, 0, $"{path}: {e.Message}");
        }
    }
}
