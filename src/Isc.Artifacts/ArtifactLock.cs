using System.Text.Json;

namespace Isc.Artifacts;

/// <summary>
/// Held by the process that makes one artifact (<c>isc step</c>) for as long as it works on it, so two processes never
/// build the same artifact into the same folders, whichever build, node or person started them. An OS file lock
/// (released by the kernel when the holder dies) plus a note naming the holder, under <c>.stamps/</c>.
/// </summary>
public sealed class ArtifactLock : IDisposable
{
    readonly FileStream _stream;
    readonly string _notePath;

    ArtifactLock(FileStream stream, string notePath)
    {
        _stream = stream;
        _notePath = notePath;
    }

    public sealed record Holder(int Pid, string Host, DateTime SinceUtc);

    public static string PathOf(StampStore store, string artifact) => Path.Combine(store.Directory, StampStore.SafeName(artifact) + ".lock");

    /// <summary>Takes the lock, waiting up to <paramref name="wait"/> for a holder to finish; throws <see cref="LockedException"/> naming it otherwise.</summary>
    public static ArtifactLock Acquire(StampStore store, string artifact, TimeSpan wait, Action<string> log)
    {
        Directory.CreateDirectory(store.Directory);
        var path = PathOf(store, artifact);
        var notePath = path + ".holder.json";
        var deadline = DateTime.UtcNow + wait;
        var announced = false;
        while (true)
        {
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                AtomicFile.WriteAllText(notePath, JsonSerializer.Serialize(new Holder(Environment.ProcessId, Environment.MachineName, DateTime.UtcNow), Stamp.Json));
                return new ArtifactLock(stream, notePath);
            }
            catch (IOException e) when (e is not DirectoryNotFoundException and not PathTooLongException)
            {
                var holder = ReadHolder(notePath);
                var who = holder is null ? "another process" : $"process {holder.Pid} on {holder.Host} (since {holder.SinceUtc:u})";
                if (DateTime.UtcNow >= deadline)
                    throw new LockedException($"{artifact} is being built by {who}; a second build of it would write into the same files. " +
                        "Wait for that process to finish (or stop it), then build again.");
                if (!announced) { log($"waiting for {who}, which is building {artifact} ..."); announced = true; }
                Thread.Sleep(200);
            }
        }
    }

    static Holder? ReadHolder(string notePath)
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
