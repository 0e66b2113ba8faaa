using System.Globalization;

namespace Isc.Artifacts;

/// <summary>
/// The largest image (width × height) any decode of a user-provided image accepts, checked from the header BEFORE pixel
/// memory is allocated, so a file whose header claims 65000×65000 fails with a message instead of taking the process down.
/// Default: 178,956,970 pixels, Pillow's decompression-bomb error threshold (2 × 89,478,485): the reference pipeline
/// (Pillow) refuses anything bigger, so no image of DISC21 or of the overlay set (all far smaller) can exceed it.
/// Set ISC_MAX_IMAGE_PIXELS to change it. It is a property of the machine's safety, not of the recipe: it is not a
/// catalog setting and does not enter any artifact's identity (changing it never makes a dataset stale).
/// </summary>
public static class ImagePixelLimit
{
    public const string Variable = "ISC_MAX_IMAGE_PIXELS";
    public const long Default = 2L * 89_478_485;

    static readonly Lazy<long> Configured = new(() => Parse(Environment.GetEnvironmentVariable(Variable)));

    /// <summary>The limit in force for this process.</summary>
    public static long Max => Configured.Value;

    /// <summary>Reads a limit value: empty means the default; anything but a positive whole number is an error naming the variable.</summary>
    public static long Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return Default;
        return long.TryParse(value.Replace("_", "").Replace(",", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw new ArgumentException($"{Variable}='{value}' is not a positive whole number of pixels (default {Default:N0})");
    }

    /// <summary>Throws <see cref="InvalidDataException"/> naming the file, its size and the limit when width×height is over it.</summary>
    public static void Check(string path, long width, long height) => Check(path, width, height, Max);

    public static void Check(string path, long width, long height, long max)
    {
        if (width * height <= max) return;
        throw new InvalidDataException(
            $"{path}: the image is {width:N0}×{height:N0} = {width * height:N0} pixels, over the limit of {max:N0} pixels; " +
            $"it was not decoded. Replace or remove the file, or raise the limit with the environment variable {Variable}.");
    }
}
