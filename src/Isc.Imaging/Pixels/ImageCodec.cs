using System.Buffers;
using System.Runtime.InteropServices;
using Isc.Artifacts;
using SkiaSharp;

namespace Isc.Imaging.Pixels;

/// <summary>
/// Decoding (JPEG: libjpeg-turbo through OpenCV, see <see cref="TurboJpeg"/>; CMYK JPEG: <see cref="CmykJpeg"/>, then
/// Pillow's cmyk2rgb; PNG, WebP, BMP: SkiaSharp; EXIF orientation ignored like Pillow, alpha dropped like
/// convert("RGB")) and baseline JPEG encoding (4:2:0, Pillow's default even at quality 100).
/// A truncated or corrupt file is an error, as in Pillow without LOAD_TRUNCATED_IMAGES. Every decode refuses an image
/// over <see cref="ImagePixelLimit"/> from its header, before allocating pixel memory.
/// </summary>
public static class ImageCodec
{
    /// <summary>Width and height from the header only.</summary>
    public static (int Width, int Height) ReadSize(string path)
    {
        using var codec = OpenCodec(path);
        return (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>Throws <see cref="InvalidDataException"/> when the header is unreadable or the image is over <see cref="ImagePixelLimit"/>.</summary>
    public static void CheckDecodable(string path)
    {
        var (width, height) = ReadSize(path);
        ImagePixelLimit.Check(path, width, height);
    }

    public static RgbImage Decode(string path) => Decode(path, 0, 0, out _, out _);

    /// <summary>
    /// Decodes at the smallest JPEG DCT scale (1/8, 1/4, 1/2, 1) whose size is still at least min×min in both
    /// dimensions (0 = full size); <paramref name="fullWidth"/>/<paramref name="fullHeight"/> give the stored size.
    /// </summary>
    public static RgbImage Decode(string path, int minWidth, int minHeight, out int fullWidth, out int fullHeight) =>
        Decode(path, (_, _) => (minWidth, minHeight), out fullWidth, out fullHeight);

    /// <summary>As above, with the minimum size computed from the stored size (one read of the file).</summary>
    public static RgbImage Decode(string path, Func<int, int, (int MinWidth, int MinHeight)> minimum, out int fullWidth, out int fullHeight) =>
        Decode(path, minimum, out fullWidth, out fullHeight, out _);

    /// <summary>As above, also giving the mode Pillow opens the file in (the image is always RGB: convert("RGB")).</summary>
    public static RgbImage Decode(string path, Func<int, int, (int MinWidth, int MinHeight)> minimum, out int fullWidth, out int fullHeight, out PillowMode mode)
    {
        var img = DecodeAsOpened(path, minimum, out fullWidth, out fullHeight, out mode);
        if (img.IsCmyk) PillowCmyk.ToRgbInPlace(img);
        return img;
    }

    /// <summary>
    /// As above, but the image is in the mode Pillow's Image.open gives it as far as <see cref="RgbImage"/> carries modes:
    /// a CMYK JPEG comes back CMYK (<see cref="RgbImage.IsCmyk"/>, always at full size), L as R = G = B, the rest RGB.
    /// </summary>
    public static RgbImage DecodeAsOpened(string path, Func<int, int, (int MinWidth, int MinHeight)> minimum, out int fullWidth, out int fullHeight, out PillowMode mode)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: image file not found", path);
        var jpeg = TurboJpeg.TryDecode(path, minimum, out fullWidth, out fullHeight, out var components);
        mode = components switch { 1 => PillowMode.L, 4 => PillowMode.Cmyk, _ => PillowMode.Rgb };
        if (jpeg is not null) return jpeg;
        if (components == 4) return DecodeCmyk(path, out fullWidth, out fullHeight);
        return SkiaDecode(path, minimum, out fullWidth, out fullHeight);
    }

    static RgbImage DecodeCmyk(string path, out int width, out int height)
    {
        var data = File.ReadAllBytes(path);
        if (!JpegHeader.TryRead(data, out var header)) throw new InvalidDataException($"{path}: not a readable JPEG; replace or remove the file");
        (width, height) = (header.Width, header.Height);
        ImagePixelLimit.Check(path, width, height);
        if (!TurboJpeg.EndsAfterScan(data))
            throw new InvalidDataException($"{path}: the image data is corrupt or truncated (no end-of-image marker after the image data); replace or remove the file");
        return CmykJpeg.Decode(path, data);
    }

    /// <summary>Any other format (PNG, WebP, BMP): SkiaSharp.</summary>
    static RgbImage SkiaDecode(string path, Func<int, int, (int MinWidth, int MinHeight)> minimum, out int fullWidth, out int fullHeight)
    {
        using var codec = OpenCodec(path);
        fullWidth = codec.Info.Width;
        fullHeight = codec.Info.Height;
        ImagePixelLimit.Check(path, fullWidth, fullHeight);
        var (minWidth, minHeight) = minimum(fullWidth, fullHeight);
        var size = new SKSizeI(fullWidth, fullHeight);
        if (minWidth > 0 || minHeight > 0)
            foreach (var scale in new[] { 0.125f, 0.25f, 0.5f })
            {
                var s = codec.GetScaledDimensions(scale);
                if (s.Width >= minWidth && s.Height >= minHeight && s.Width < fullWidth) { size = s; break; }
            }
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = ArrayPool<byte>.Shared.Rent(info.BytesSize); // megabytes for a photo: pooled, not a fresh LOH array
        try
        {
            SKCodecResult result;
            unsafe
            {
                fixed (byte* ptr = rgba) result = codec.GetPixels(info, (IntPtr)ptr);
            }
            if (result != SKCodecResult.Success)
                throw new InvalidDataException($"{path}: the image data is corrupt or truncated ({result}); replace or remove the file");
            var img = new RgbImage(size.Width, size.Height, clear: false);
            var p = img.Pixels;
            for (int i = 0, o = 0; o < p.Length; i += 4, o += 3) { p[o] = rgba[i]; p[o + 1] = rgba[i + 1]; p[o + 2] = rgba[i + 2]; }
            return img;
        }
        finally { ArrayPool<byte>.Shared.Return(rgba); }
    }

    /// <summary>Decodes keeping the alpha channel (emoji PNGs; palette transparency included), as RGBA bytes.</summary>
    public static (byte[] Rgba, int Width, int Height) DecodeRgba(string path)
    {
        using var codec = OpenCodec(path);
        ImagePixelLimit.Check(path, codec.Info.Width, codec.Info.Height);
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[info.BytesSize];
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        SKCodecResult result;
        try { result = codec.GetPixels(info, handle.AddrOfPinnedObject()); }
        finally { handle.Free(); }
        if (result != SKCodecResult.Success)
            throw new InvalidDataException($"{path}: the image data is corrupt or truncated ({result})");
        return (rgba, info.Width, info.Height);
    }

    static SKCodec OpenCodec(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: image file not found", path);
        var codec = SKCodec.Create(path, out var result);
        if (codec is null)
            throw new InvalidDataException($"{path}: not a readable image ({result}); replace or remove the file");
        return codec;
    }

    /// <summary>
    /// Baseline JPEG, 4:2:0 chroma subsampling (Pillow's default, even at quality 100), quality clamped to 1…100 like
    /// libjpeg (so the original scripts' 1000 is 100), standard Huffman tables: libjpeg-turbo, as Pillow encodes.
    /// </summary>
    public static byte[] EncodeJpeg(RgbImage img, int quality) => img.IsCmyk
        ? throw new ArgumentException("a CMYK image is saved with EncodeJpeg(img, quality, PillowMode.Cmyk) or converted first")
        : TurboJpeg.Encode(img, Math.Clamp(quality, 1, 100));

    /// <summary>
    /// Pillow's save of the image in <paramref name="mode"/>: L is a one-component (grayscale) JPEG of the red channel
    /// (the image must be gray, R = G = B); RGB as <see cref="EncodeJpeg"/>; CMYK a four-component CMYK JPEG of a CMYK
    /// image (<see cref="CmykJpeg.Encode"/>).
    /// </summary>
    public static byte[] EncodeJpeg(RgbImage img, int quality, PillowMode mode) => mode switch
    {
        PillowMode.L => TurboJpeg.EncodeGray(img, Math.Clamp(quality, 1, 100)),
        PillowMode.Rgb => EncodeJpeg(img, quality),
        PillowMode.Cmyk => CmykJpeg.Encode(img, Math.Clamp(quality, 1, 100)),
        _ => throw new NotSupportedException($"JPEG save in mode {mode}"),
    };

    /// <summary>Lossless PNG (contact sheets).</summary>
    public static byte[] EncodePng(RgbImage img) => TurboJpeg.EncodePng(img);
}
