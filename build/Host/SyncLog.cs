using Cake.Core.Diagnostics;

namespace Isc.Build.Host;

/// <summary>Cake's log, safe for the concurrent steps of a build: one whole line at a time.</summary>
public sealed class SyncLog(ICakeLog inner) : ICakeLog
{
    public Verbosity Verbosity
    {
        get => inner.Verbosity;
        set => inner.Verbosity = value;
    }

    public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args)
    {
        lock (inner) inner.Write(verbosity, level, format, args);
    }
}
