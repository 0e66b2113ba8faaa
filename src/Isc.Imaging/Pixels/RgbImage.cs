using System.Buffers;

namespace Isc.Imaging.Pixels;

/// <summary>
/// An 8-bit RGB image, rows top to bottom, pixels interleaved R,G,B. The buffer is rented from the shared
/// pool (images at 256×256 are 196 KB, above the large-object threshold): dispose every image you own.
/// An optional alpha plane (one byte per pixel, separate so that the RGB kernels stay as they are) makes it Pillow's
/// RGBA: AugLy 0.1.4's overlays return RGBA and the steps after them see the alpha (docs/imaging.md, Modes through the chain).
/// A black plane (<see cref="IsCmyk"/>) makes it Pillow's CMYK instead: the three interleaved channels then hold C, M, Y
/// (Pillow's values, 0 = no ink) and the plane holds K. That is the mode of an image overlay onto a CMYK JPEG.
/// </summary>
public sealed class RgbImage : IDisposable
{
    byte[]? _data;
    byte[]? _alpha;
    byte[]? _black;

    public int Width { get; }
    public int Height { get; }
    public int Stride => Width * 3;
    public int Length => Width * Height * 3;

    public RgbImage(int width, int height, bool clear = true)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"image size must be positive, got {width}x{height}");
        Width = width;
        Height = height;
        _data = ArrayPool<byte>.Shared.Rent(width * height * 3);
        if (clear) Pixels.Clear();
    }

    /// <summary>The pixel bytes (exactly Width·Height·3).</summary>
    public Span<byte> Pixels => (_data ?? throw new ObjectDisposedException(nameof(RgbImage))).AsSpan(0, Length);

    /// <summary>The pixel bytes as Memory (for wrapping in an ImageSharp image without copying).</summary>
    public Memory<byte> Memory => (_data ?? throw new ObjectDisposedException(nameof(RgbImage))).AsMemory(0, Length);

    public Span<byte> Row(int y) => Pixels.Slice(y * Stride, Stride);

    /// <summary>True when the image is RGBA (has an alpha plane).</summary>
    public bool HasAlpha => _alpha is not null;

    /// <summary>The alpha plane (Width·Height bytes); only for an image with <see cref="HasAlpha"/>.</summary>
    public Span<byte> Alpha => (_alpha ?? throw new InvalidOperationException("the image has no alpha channel")).AsSpan(0, Width * Height);

    /// <summary>convert("RGBA") of an RGB image: an alpha plane of 255 (nothing if it has one already).</summary>
    public void AddAlpha()
    {
        if (_alpha is not null) return;
        if (_black is not null) throw new InvalidOperationException("a CMYK image has no alpha; convert it to RGB first");
        _alpha = ArrayPool<byte>.Shared.Rent(Width * Height);
        Alpha.Fill(255);
    }

    /// <summary>convert("RGB"): the alpha plane is dropped, no compositing.</summary>
    public void DropAlpha()
    {
        var a = Interlocked.Exchange(ref _alpha, null);
        if (a is not null) ArrayPool<byte>.Shared.Return(a);
    }

    /// <summary>True when the image is CMYK (the pixels are C, M, Y and <see cref="Black"/> is K).</summary>
    public bool IsCmyk => _black is not null;

    /// <summary>The K plane (Width·Height bytes); only for an image with <see cref="IsCmyk"/>.</summary>
    public Span<byte> Black => (_black ?? throw new InvalidOperationException("the image is not CMYK")).AsSpan(0, Width * Height);

    /// <summary>Makes the image CMYK with a K plane of 0, the pixels now read as C, M, Y (nothing if it is CMYK already).</summary>
    public void AddBlack()
    {
        if (_black is not null) return;
        if (_alpha is not null) throw new InvalidOperationException("an RGBA image cannot be CMYK");
        _black = ArrayPool<byte>.Shared.Rent(Width * Height);
        Black.Clear();
    }

    /// <summary>Drops the K plane (the pixels are then read as R, G, B: callers convert first).</summary>
    public void DropBlack()
    {
        var k = Interlocked.Exchange(ref _black, null);
        if (k is not null) ArrayPool<byte>.Shared.Return(k);
    }

    public RgbImage Clone()
    {
        var c = new RgbImage(Width, Height, clear: false);
        Pixels.CopyTo(c.Pixels);
        if (HasAlpha)
        {
            c.AddAlpha();
            Alpha.CopyTo(c.Alpha);
        }
        if (IsCmyk)
        {
            c.AddBlack();
            Black.CopyTo(c.Black);
        }
        return c;
    }

    /// <summary>The colour channels only (convert("RGB") into a new image).</summary>
    public RgbImage CloneRgb()
    {
        var c = new RgbImage(Width, Height, clear: false);
        Pixels.CopyTo(c.Pixels);
        return c;
    }

    public static RgbImage Filled(int width, int height, byte r, byte g, byte b)
    {
        var img = new RgbImage(width, height, clear: false);
        var p = img.Pixels;
        for (var i = 0; i < p.Length; i += 3) { p[i] = r; p[i + 1] = g; p[i + 2] = b; }
        return img;
    }

    public void Dispose()
    {
        var d = Interlocked.Exchange(ref _data, null);
        if (d is not null) ArrayPool<byte>.Shared.Return(d);
        DropAlpha();
        DropBlack();
    }
}
