using System.Diagnostics;
using System.Globalization;

namespace Isc.Imaging.Generation;

/// <summary>Plain progress lines every few seconds: done/total, rate of this run, ETA.</summary>
public sealed class Progress : IDisposable
{
    readonly TextWriter _out;
    readonly string _label;
    readonly long _total;
    readonly Stopwatch _clock = Stopwatch.StartNew();
    readonly Timer _timer;
    long _done, _skipped;

    public Progress(TextWriter output, string label, long total, TimeSpan interval)
    {
        _out = output;
        _label = label;
        _total = total;
        _timer = new Timer(_ => Report(), null, interval, interval);
    }

    public long Done => Interlocked.Read(ref _done) + Interlocked.Read(ref _skipped);
    public long Produced => Interlocked.Read(ref _done);

    public void Add(long n) => Interlocked.Add(ref _done, n);
    public void AddSkipped(long n) => Interlocked.Add(ref _skipped, n);

    public void Report()
    {
        var made = Interlocked.Read(ref _done);
        var all = Done;
        var secs = Math.Max(_clock.Elapsed.TotalSeconds, 1e-6);
        var rate = made / secs;
        var eta = rate > 0 ? TimeSpan.FromSeconds((_total - all) / rate) : (TimeSpan?)null;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{_label}: {all}/{_total} images ({100.0 * all / Math.Max(1, _total):F1}%), {rate:F1} images/s, ETA {(eta is { } e ? e.ToString(@"d\.hh\:mm\:ss", CultureInfo.InvariantCulture) : "?")}");
        lock (_out) _out.WriteLine(line);
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Dispose() => _timer.Dispose();
}
