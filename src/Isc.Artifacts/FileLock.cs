using System.Text.Json;

namespace Isc.Artifacts;

/// <summary>
/// An exclusive OS file lock (released by the kernel when its holder dies, so a crashed process never wedges the next
/// one) plus a small note beside it naming the holder, for the messages of whoever waits. The build lock and the
/// artifact locks are both this.
/// </summary>
public sealed class FileLock : IDisposable
{
    readonly FileStream _stream;
    readonly string _notePath;

    FileLock(FileStream stream, string notePath, Holder? previous)
    {
        _stream = stream;
        _notePath = notePath;
        Previous = previous;
    }

    public sealed record Holder(int Pid, string Host, DateTime SinceUtc, string Command);

    /// <summary>The note a former holder left (it died holding the lock), if any.</summary>
    public Holder? Previous { get; }

    /// <summary>
    /// Takes the lock at <paramref name="path"/>, waiting up to <paramref name="wait"/>: <paramref name="waiting"/> is told once
    /// who holds it; when the wait is over, the exception <paramref name="busy"/> makes of the holder is thrown.
    /// </summary>
    public static FileLock Acquire(string path, TimeSpan wait, Action<Holder?> waiting, Func<Holder?, Exception> busy)
    {
        var notePath = path + ".holder.json";
        var deadline = DateTime.UtcNow + wait;
        var announced = false;
        while (true)
        {
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                var previous = ReadHolder(notePath) is { } h && h.Pid != Environment.ProcessId ? h : null;
                var me = new Holder(Environment.ProcessId, Environment.MachineName, DateTime.UtcNow, Environment.CommandLine);
                AtomicFile.WriteAllText(notePath, JsonSerializer.Serialize(me, Stamp.Json));
                return new FileLock(stream, notePath, previous);
            }
            catch (IOException e) when (e is not DirectoryNotFoundException and not PathTooLongException)
            {
                var holder = ReadHolder(notePath);
                if (DateTime.UtcNow >= deadline) throw busy(holder);
                if (!announced) { waiting(holder); announced = true; }
                Thread.Sleep(200);
            }
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
