using OpenCvSharp;

namespace Isc.Imaging.Faces;

/// <summary>
/// OpenCV's Haar frontal-face cascade (Debian opencv-data). Images are read as grayscale, shrunk so the longer side is
/// at most <see cref="MaxSide"/>, histogram-equalised, then scanned (scale step 1.1, 5 neighbours, faces ≥ 24 px).
/// One instance per thread: OpenCV's CascadeClassifier is not thread-safe.
/// </summary>
public sealed class FaceDetector : IDisposable
{
    public const string DefaultCascade = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";
    public const int MaxSide = 512;
    readonly CascadeClassifier _cascade;

    public FaceDetector(string cascadeFile)
    {
        if (!File.Exists(cascadeFile))
            throw new FileNotFoundException($"face cascade '{cascadeFile}' does not exist; the default, {DefaultCascade}, comes with the Debian/Ubuntu package " +
                $"{Isc.Recipe.SystemRequirements.OpenCvData.Package} (apt-get install --no-install-recommends {Isc.Recipe.SystemRequirements.OpenCvData.Package}); or pass --cascade <xml>", cascadeFile);
        try { _cascade = new CascadeClassifier(cascadeFile); }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException)
        {
            var gtk = Isc.Recipe.SystemRequirements.Gtk;
            throw new InvalidOperationException($"OpenCV's native library does not load ({e.GetBaseException().Message}); on Debian/Ubuntu it needs {gtk.Evidence}: " +
                $"apt-get install --no-install-recommends {gtk.Package}", e);
        }
        if (_cascade.Empty()) throw new InvalidDataException($"face cascade '{cascadeFile}' could not be loaded (not a cascade XML?)");
    }

    /// <summary>Number of faces found in the image file; throws InvalidDataException when it cannot be decoded.</summary>
    public int CountFaces(string imagePath)
    {
        Pixels.ImageCodec.CheckDecodable(imagePath); // header only: a giant image fails here, not inside OpenCV
        using var gray = Cv2.ImRead(imagePath, ImreadModes.Grayscale);
        if (gray.Empty()) throw new InvalidDataException($"{imagePath}: not a readable image");
        return CountFaces(gray);
    }

    public int CountFaces(Mat gray)
    {
        var scale = Math.Min(1.0, (double)MaxSide / Math.Max(gray.Width, gray.Height));
        using var small = new Mat();
        if (scale < 1.0) Cv2.Resize(gray, small, new Size((int)Math.Round(gray.Width * scale), (int)Math.Round(gray.Height * scale)), 0, 0, InterpolationFlags.Area);
        else gray.CopyTo(small);
        Cv2.EqualizeHist(small, small);
        var faces = _cascade.DetectMultiScale(small, 1.1, 5, HaarDetectionTypes.ScaleImage, new Size(24, 24));
        return faces.Length;
    }

    public void Dispose() => _cascade.Dispose();
}
