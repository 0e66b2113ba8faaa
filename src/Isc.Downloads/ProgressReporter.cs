using System.Diagnostics;
using System.Globalization;

namespace Isc.Downloads;

/// <summary>Prints "NAME: 12.0 MiB / 1.2 GiB (1.0%), 3.4 MiB/s, ETA 0:05:47" at most once per interval.</summary>
public sealed class ProgressReporter(string name, Action<string> log, TimeSpan interval)
{
    readonly Stopwatch _clock = Stopwatch.StartNew();
    TimeSpan _lastPrint = TimeSpan.Zero;
    long _startBytes = -1;

    /// <summary>Marks where this connection started, so the rate counts only bytes received now.</summary>
    public void Begin(long bytesOnDisk)
    {
        _startBytes = bytesOnDisk;
        _clock.Restart();
        _lastPrint = TimeSpan.Zero;
    }

    public void Report(long bytes, long? total)
    {
        var now = _clock.Elapsed;
        if (now - _lastPrint < interval) return;
        _lastPrint = now;
        log(Line(bytes, total, now));
    }

    string Line(long bytes, long? total, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? (bytes - Math.Max(_startBytes, 0)) / elapsed.TotalSeconds : 0;
        var line = $"{name}: {Bytes(bytes)}";
        if (total is > 0)
        {
            line += $" / {Bytes(total.Value)} ({100.0 * bytes / total.Value:F1}%)";
            line += $", {Bytes((long)rate)}/s";
            line += rate > 0 ? $", ETA {Duration(TimeSpan.FromSeconds((total.Value - bytes) / rate))}" : ", ETA unknown";
        }
        else line += $", {Bytes((long)rate)}/s, size unknown";
        return line;
    }

    public static string Bytes(long n)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double v = n;
        var u = 0;
        while (v >= 1024 && u < units.Length - 1) { v /= 1024; u++; }
        return u == 0 ? $"{n} B" : string.Create(CultureInfo.InvariantCulture, $"{v:F1} {units[u]}");
    }

    public static string Duration(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}" : $"{t.Minutes}:{t.Seconds:D2}";
}
