using System.Diagnostics;
using Isc.Imaging.Pixels;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

/// <summary>`ImagingBench --codec`: JPEG q100 encode of a 256×256 image, ImageCodec (libjpeg-turbo through OpenCV) vs ImageSharp.</summary>
static class CodecTimes
{
    public static void Run(string sourceFile)
    {
        using var src = ImageCodec.Decode(sourceFile);
        using var img = PillowResize.Resize(src, 256, 256, ResizeFilter.Bilinear);
        const int n = 300;
        for (var i = 0; i < 30; i++) ImageCodec.EncodeJpeg(img, 100);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < n; i++) ImageCodec.EncodeJpeg(img, 100);
        Console.WriteLine($"ImageCodec (libjpeg-turbo via OpenCV) encode: {sw.Elapsed.TotalMilliseconds / n:F3} ms");
        var bytes = img.Pixels.ToArray();
        using var isImg = SixLabors.ImageSharp.Image.LoadPixelData<Rgb24>(bytes, 256, 256);
        var enc = new JpegEncoder { Quality = 100, ColorType = JpegColorType.YCbCrRatio420 };
        for (var i = 0; i < 30; i++) { using var ms = new MemoryStream(); isImg.SaveAsJpeg(ms, enc); }
        sw.Restart();
        for (var i = 0; i < n; i++) { using var ms = new MemoryStream(); isImg.SaveAsJpeg(ms, enc); }
        Console.WriteLine($"imagesharp encode: {sw.Elapsed.TotalMilliseconds / n:F3} ms");
        var jpeg = ImageCodec.EncodeJpeg(img, 100);
        var tmp = Path.GetTempFileName();
        File.WriteAllBytes(tmp, jpeg);
        sw.Restart();
        for (var i = 0; i < n; i++) ImageCodec.Decode(tmp).Dispose();
        Console.WriteLine($"ImageCodec (libjpeg-turbo via OpenCV) decode 256: {sw.Elapsed.TotalMilliseconds / n:F3} ms");
        sw.Restart();
        for (var i = 0; i < 20; i++) ImageCodec.Decode(sourceFile).Dispose();
        Console.WriteLine($"ImageCodec (libjpeg-turbo via OpenCV) decode source: {sw.Elapsed.TotalMilliseconds / 20:F3} ms");
        sw.Restart();
        for (var i = 0; i < n; i++) { using var im = SixLabors.ImageSharp.Image.Load<Rgb24>(tmp); }
        Console.WriteLine($"imagesharp decode 256: {sw.Elapsed.TotalMilliseconds / n:F3} ms");
        sw.Restart();
        for (var i = 0; i < 20; i++) { using var im = SixLabors.ImageSharp.Image.Load<Rgb24>(sourceFile); }
        Console.WriteLine($"imagesharp decode source: {sw.Elapsed.TotalMilliseconds / 20:F3} ms");
        foreach (var min in new[] { 512, 256, 64 })
        {
            sw.Restart();
            for (var i = 0; i < 20; i++) ImageCodec.Decode(sourceFile, min, min, out _, out _).Dispose();
            Console.WriteLine($"ImageCodec (libjpeg-turbo via OpenCV) decode source scaled (min {min}): {sw.Elapsed.TotalMilliseconds / 20:F3} ms");
        }
        File.Delete(tmp);
        OpenCv(sourceFile, img);
    }

    /// <summary>OpenCV's libjpeg-turbo (encode of the 256×256 image; decode of the source at full and reduced scale).</summary>
    static void OpenCv(string sourceFile, RgbImage img)
    {
        const int n = 300;
        using var mat = OpenCvSharp.Mat.FromPixelData(img.Height, img.Width, OpenCvSharp.MatType.CV_8UC3, img.Memory.ToArray());
        var prms = new[] { (int)OpenCvSharp.ImwriteFlags.JpegQuality, 100, 7 /* IMWRITE_JPEG_SAMPLING_FACTOR */, 0x221111 };
        for (var i = 0; i < 30; i++) OpenCvSharp.Cv2.ImEncode(".jpg", mat, out _, prms);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < n; i++) OpenCvSharp.Cv2.ImEncode(".jpg", mat, out _, prms);
        Console.WriteLine($"opencv encode: {sw.Elapsed.TotalMilliseconds / n:F3} ms");
        var bytes = File.ReadAllBytes(sourceFile);
        foreach (var mode in new[] { OpenCvSharp.ImreadModes.Color, OpenCvSharp.ImreadModes.ReducedColor2, OpenCvSharp.ImreadModes.ReducedColor8 })
        {
            sw.Restart();
            for (var i = 0; i < 20; i++) OpenCvSharp.Cv2.ImDecode(bytes, mode).Dispose();
            Console.WriteLine($"opencv decode source {mode}: {sw.Elapsed.TotalMilliseconds / 20:F3} ms");
        }
    }
}
