using System.Diagnostics;
using Isc.Imaging.Pixels;

namespace Isc.Imaging.Tests;

/// <summary>Runs a snippet under the real Pillow/numpy of /usr/bin/python3 on PNG files: `img` is the input (RGB), assign `out`.</summary>
public static class PythonPillow
{
    public static RgbImage Run(RgbImage input, string body)
    {
        var dir = TestAssets.TempDir("py");
        var inPath = Path.Combine(dir, "in.png");
        var outPath = Path.Combine(dir, "out.png");
        File.WriteAllBytes(inPath, ImageCodec.EncodePng(input));
        var script = $"""
            import sys, numpy as np
            from PIL import Image, ImageFilter, ImageOps, ImageEnhance
            img = Image.open(sys.argv[1]).convert('RGB')
            {Indent(body)}
            out.convert('RGB').save(sys.argv[2])
            """;
        try
        {
            Exec(script, inPath, outPath);
            return ImageCodec.Decode(outPath);
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>Runs a script and returns its stdout.</summary>
    public static string Exec(string script, params string[] args)
    {
        var psi = new ProcessStartInfo(TestAssets.Python) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"python failed ({p.ExitCode}): {stderr.Result}");
        return stdout.Result;
    }

    static string Indent(string body) => string.Join("\n", body.Split('\n').Select((l, i) => i == 0 ? l : l));

    public static int MaxDiff(RgbImage a, RgbImage b)
    {
        Assert.That((b.Width, b.Height), Is.EqualTo((a.Width, a.Height)), "size");
        var max = 0;
        var pa = a.Pixels; var pb = b.Pixels;
        for (var i = 0; i < pa.Length; i++) max = Math.Max(max, Math.Abs(pa[i] - pb[i]));
        return max;
    }

    /// <summary>Fraction of bytes that differ.</summary>
    public static double DiffFraction(RgbImage a, RgbImage b)
    {
        var n = 0;
        var pa = a.Pixels; var pb = b.Pixels;
        for (var i = 0; i < pa.Length; i++) if (pa[i] != pb[i]) n++;
        return (double)n / pa.Length;
    }
}
