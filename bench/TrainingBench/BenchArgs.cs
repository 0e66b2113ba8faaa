using System.Globalization;
using Isc.Recipe;

/// <summary>What the step benches share: their --key value options, the paper's model at another width, and this process's memory.</summary>
static class BenchArgs
{
    /// <summary>--key value pairs; a --flag followed by another option (or nothing) is present with value "".</summary>
    public static Dictionary<string, string> Parse(string[] args)
    {
        var o = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--")) throw new ArgumentException($"unexpected argument '{args[i]}'");
            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--");
            o[args[i][2..]] = hasValue ? args[++i] : "";
        }
        return o;
    }

    public static int Int(Dictionary<string, string> o, string key, int fallback) =>
        o.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The paper's model with its stem at <paramref name="width"/> and the projector scaled with it.</summary>
    public static ModelSettings PaperModelAtWidth(int width)
    {
        var paper = Profiles.Paper.Model;
        return paper with
        {
            StemWidth = width,
            ProjectorHidden = paper.ProjectorHidden * width / paper.StemWidth,
            ProjectorOut = paper.ProjectorOut * width / paper.StemWidth,
        };
    }

    /// <summary>The paper's identity count (its training images over the images per identity).</summary>
    public static int PaperClasses => Profiles.Paper.Source.TrainingImages / Profiles.Paper.Source.IdStride;

    /// <summary>A /proc/self/status size in MB (VmRSS: now, VmHWM: the peak resident set).</summary>
    public static double ProcStatusMb(string key) =>
        double.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(key))[key.Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0],
            CultureInfo.InvariantCulture) / 1024;
}
