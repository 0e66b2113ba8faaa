using System.Buffers;

namespace Isc.Imaging.Pixels;

/// <summary>
/// An 8-bit RGB image, rows top to bottom, pixels interleaved R,G,B. The buffer is rented from the shared
/// pool (images at 256×256 are 196 KB, above the large-object threshold): dispose every image you own.
/// An optional alpha plane (one byte per pixel, separate so that the RGB kernels stay as they are) makes it Pillow's
/// RGBA: AugLy 0.1.4's overlays return RGBA and the steps after them see the alpha (docs/imaging.md, Modes through the chain).
/// </summary>
public sealed class RgbImage : IDisposable
{
    byte[]? _data;
    byte[]? _alpha;

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
        _alpha = ArrayPool<byte>.Shared.Rent(Width * Height);
        Alpha.Fill(255);
    }

    /// <summary>convert("RGB"): the alpha plane is dropped, no compositing.</summary>
    public void DropAlpha()
    {
        var a = Interlocked.Exchange(ref _alpha, null);
        if (a is not null) ArrayPool<byte>.Shared.Return(a);
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
    }
}
