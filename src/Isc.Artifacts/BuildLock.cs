namespace Isc.Artifacts;

/// <summary>
/// One build at a time per artifacts root: <c>&lt;root&gt;/.lock</c>, a <see cref="FileLock"/>.
/// </summary>
public static class BuildLock
{
    /// <summary>Takes the lock, waiting up to <paramref name="wait"/>; throws <see cref="LockedException"/> naming the holder otherwise.</summary>
    public static FileLock Acquire(string root, TimeSpan wait, Action<string>? onWait = null)
    {
        EnsureWritable(root);
        static string Who(FileLock.Holder? h) => h is null ? "another build" : $"build process {h.Pid} on {h.Host} (since {h.SinceUtc:u})";
        var held = FileLock.Acquire(Path.Combine(root, ".lock"), wait,
            waiting: h => onWait?.Invoke($"waiting for {Who(h)} to release {root} ..."),
            busy: h => new LockedException($"the artifacts root {root} is in use by {Who(h)}. Wait for it to finish, or pass --wait-lock=<seconds> to wait."));
        if (held.Previous is { } stale)
            onWait?.Invoke($"taking over the lock left by process {stale.Pid} on {stale.Host} (no longer running)");
        return held;
    }

    /// <summary>
    /// Creates <paramref name="root"/> if needed and proves a file can be created in it; throws
    /// <see cref="NotWritableException"/> otherwise (read-only mount, permissions, a file in the way), so that
    /// failure is not mistaken for another build holding the lock.
    /// </summary>
    public static void EnsureWritable(string root)
    {
        try
        {
            Directory.CreateDirectory(root);
            var probe = Path.Combine(root, $".write-probe.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NotWritableException($"the artifacts root {root} is not writable ({e.Message.TrimEnd('.')}). " +
                "Pass --artifacts=<dir> (or set \"artifacts\" in isc.json) to build in a writable folder, or make this one writable " +
                "(permissions, a read-only mount, a file in the way).");
        }
    }
}

public sealed class NotWritableException(string message) : Exception(message);
