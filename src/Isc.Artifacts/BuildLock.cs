using System.Text.Json;

namespace Isc.Artifacts;

/// <summary>
/// One build at a time per artifacts root. The lock is an OS file lock (released by the kernel when its
/// holder dies, so a crashed build never wedges the next one) plus a small note naming the holder.
/// </summary>
public sealed class BuildLock : IDisposable
{
    readonly FileStream _stream;
    readonly string _notePath;

    BuildLock(FileStream stream, string notePath)
    {
        _stream = stream;
        _notePath = notePath;
    }

    public sealed record Holder(int Pid, string Host, DateTime SinceUtc, string Command);

    /// <summary>Takes the lock, waiting up to <paramref name="wait"/>; throws <see cref="LockedException"/> naming the holder otherwise.</summary>
    public static BuildLock Acquire(string root, TimeSpan wait, Action<string>? onWait = null)
    {
        EnsureWritable(root);
        var path = Path.Combine(root, ".lock");
        var notePath = Path.Combine(root, ".lock.holder.json");
        var deadline = DateTime.UtcNow + wait;
        var announced = false;
        while (true)
        {
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                var stale = ReadHolder(notePath);
                if (stale is not null && stale.Pid != Environment.ProcessId)
                    onWait?.Invoke($"taking over the lock left by process {stale.Pid} on {stale.Host} (no longer running)");
                var me = new Holder(Environment.ProcessId, Environment.MachineName, DateTime.UtcNow, Environment.CommandLine);
                AtomicFile.WriteAllText(notePath, JsonSerializer.Serialize(me, Stamp.Json));
                return new BuildLock(stream, notePath);
            }
            catch (IOException)
            {
                var holder = ReadHolder(notePath);
                var who = holder is null ? "another build" : $"build process {holder.Pid} on {holder.Host} (since {holder.SinceUtc:u})";
                if (DateTime.UtcNow >= deadline)
                    throw new LockedException($"the artifacts root {root} is in use by {who}. Wait for it to finish, or pass --wait-lock=<seconds> to wait.");
                if (!announced) { onWait?.Invoke($"waiting for {who} to release {root} ..."); announced = true; }
                Thread.Sleep(250);
            }
        }
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

    public static Holder? ReadHolder(string notePath)
    {
        try { return JsonSerializer.Deserialize<Holder>(File.ReadAllText(notePath), Stamp.Json); }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException) { return null; }
    }

    public void Dispose()
    {
        try { File.Delete(_notePath); } catch (IOException) { }
        _stream.Dispose();
    }
}

public sealed class LockedException(string message) : Exception(message);

public sealed class NotWritableException(string message) : Exception(message);
