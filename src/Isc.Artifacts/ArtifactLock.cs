namespace Isc.Artifacts;

/// <summary>
/// Held by the process that makes one artifact (<c>isc step</c>) for as long as it works on it, so two processes never
/// build the same artifact into the same folders, whichever build, node or person started them (<c>.stamps/&lt;artifact&gt;.lock</c>).
/// </summary>
public static class ArtifactLock
{
    public static string PathOf(StampStore store, string artifact) => Path.Combine(store.Directory, StampStore.SafeName(artifact) + ".lock");

    /// <summary>Takes the lock, waiting up to <paramref name="wait"/> for a holder to finish; throws <see cref="LockedException"/> naming it otherwise.</summary>
    public static FileLock Acquire(StampStore store, string artifact, TimeSpan wait, Action<string> log)
    {
        Directory.CreateDirectory(store.Directory);
        static string Who(FileLock.Holder? h) => h is null ? "another process" : $"process {h.Pid} on {h.Host} (since {h.SinceUtc:u})";
        return FileLock.Acquire(PathOf(store, artifact), wait,
            waiting: h => log($"waiting for {Who(h)}, which is building {artifact} ..."),
            busy: h => new LockedException($"{artifact} is being built by {Who(h)}; a second build of it would write into the same files. " +
                                           "Wait for that process to finish (or stop it), then build again."));
    }
}
