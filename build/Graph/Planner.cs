using Isc.Artifacts;

namespace Isc.Build.Graph;

/// <summary>Whether an artifact is up to date, why not, and its identity hash for dependents.</summary>
public sealed record NodeState(bool UpToDate, string Reason, string? Hash)
{
    public static NodeState Fresh(string hash) => new(true, "up to date", hash);
    public static NodeState Stale(string reason) => new(false, reason, null);
}

/// <summary>
/// Decides staleness from stamps alone: reads the stamp and checks the recorded outputs (a file's size and
/// mtime, a re-hash only when the mtime moved; a folder's few folder mtimes, a listing only when one moved).
/// It never lists a dataset's files while they are as the step left them.
/// </summary>
public sealed class Planner(StampStore store)
{
    public StampStore Store => store;

    /// <summary>
    /// Evaluates one node. <paramref name="inputState"/> gives each input's state: during a build the
    /// state it ended in; in a plan the predicted one (a stale input means "will be rebuilt").
    /// </summary>
    public NodeState Evaluate(ArtifactNode node, Func<string, NodeState> inputState)
    {
        if (node.External is { } external) return Observe(node, external);

        var stamp = store.Read(node.Id);
        if (stamp is null) return NodeState.Stale(File.Exists(store.PathOf(node.Id)) ? "stamp unreadable (interrupted or edited): rebuild" : "never built");
        if (stamp.Step != node.Step || stamp.StepVersion != node.StepVersion)
            return NodeState.Stale($"step version changed ({stamp.Step} v{stamp.StepVersion} → {node.Step} v{node.StepVersion})");

        var paramChanges = DiffParams(stamp.Params, node.Params);
        if (paramChanges.Count > 0) return NodeState.Stale(string.Join("; ", paramChanges));

        foreach (var input in node.Inputs)
        {
            var state = inputState(input);
            if (!state.UpToDate) return NodeState.Stale($"input {input} will be rebuilt");
            if (!stamp.Inputs.TryGetValue(input, out var recorded)) return NodeState.Stale($"new input {input}");
            if (recorded != state.Hash) return NodeState.Stale($"input {input} changed");
        }
        foreach (var removed in stamp.Inputs.Keys.Except(node.Inputs, StringComparer.OrdinalIgnoreCase))
            return NodeState.Stale($"input {removed} no longer used");

        var refreshed = new List<OutputRecord>();
        foreach (var output in stamp.Outputs)
        {
            var problem = store.Check(output, out var current);
            if (problem is not null) return NodeState.Stale(problem);
            refreshed.Add(current);
        }
        foreach (var declared in node.Outputs)
            if (!stamp.Outputs.Any(o => o.Path == declared.Path)) return NodeState.Stale($"output {declared.Path} not built yet");

        // A touched-but-identical file or folder: remember the new mtimes so the next check does not re-hash or list it.
        if (!refreshed.SequenceEqual(stamp.Outputs)) SaveForLater(stamp with { Outputs = refreshed });
        return NodeState.Fresh(stamp.Hash);
    }

    static List<string> DiffParams(IReadOnlyDictionary<string, string> old, IReadOnlyDictionary<string, string> now)
    {
        var changes = new List<string>();
        foreach (var (k, v) in now)
        {
            if (!old.TryGetValue(k, out var was)) changes.Add($"new parameter {k} = {Short(v)}");
            else if (was != v) changes.Add($"parameter {k} changed ({Short(was)} → {Short(v)})");
        }
        foreach (var k in old.Keys.Where(k => !now.ContainsKey(k))) changes.Add($"parameter {k} removed");
        return changes;
    }

    static string Short(string s) => s.Length <= 60 ? s : s[..57] + "...";

    /// <summary>
    /// An external input's identity: a file's SHA-256, or a folder's listing hash. Cached in an
    /// observation stamp and recomputed only when the file's size/mtime or the folder's mtime move.
    /// </summary>
    NodeState Observe(ArtifactNode node, ExternalInput input)
    {
        if (string.IsNullOrEmpty(input.Path)) return NodeState.Stale($"not configured: set {input.Setting}");
        var exists = input.IsDirectory ? Directory.Exists(input.Path) : File.Exists(input.Path);
        if (!exists) return NodeState.Stale($"{input.Path} does not exist (configured by {input.Setting})");

        var mtime = input.IsDirectory ? Directory.GetLastWriteTimeUtc(input.Path).Ticks : File.GetLastWriteTimeUtc(input.Path).Ticks;
        var size = input.IsDirectory ? -1 : new FileInfo(input.Path).Length;
        var cached = store.Read(node.Id);
        var record = cached?.Outputs.SingleOrDefault();
        if (cached is not null && record is not null && record.Path == input.Path && record.MtimeTicks == mtime && (input.IsDirectory || record.Size == size))
            return record.Size < input.MinFiles && input.IsDirectory
                ? NodeState.Stale($"{input.Path} holds {record.Size} files, at least {input.MinFiles} needed")
                : NodeState.Fresh(cached.Hash);

        string hash;
        long measure;
        if (input.IsDirectory)
        {
            var (listing, files) = Fingerprint.OfListing(input.Path);
            (hash, measure) = (listing, files);
            if (files < input.MinFiles) return NodeState.Stale($"{input.Path} holds {files} files, at least {input.MinFiles} needed");
        }
        else (hash, measure) = (Fingerprint.OfFile(input.Path), size);

        var stamp = new Stamp
        {
            Artifact = node.Id, Step = "external", StepVersion = 0,
            Params = new(StringComparer.Ordinal), Inputs = new(StringComparer.Ordinal),
            Outputs = [new OutputRecord(input.Path, input.IsDirectory ? OutputKind.Directory : OutputKind.File, measure, mtime, hash)],
            StartedUtc = DateTime.UtcNow, FinishedUtc = DateTime.UtcNow, Host = Environment.MachineName,
        }.WithHash();
        // Same content as before (touched, or a file added and removed): keep the old identity.
        if (cached is not null && cached.Hash == stamp.Hash) { SaveForLater(stamp); return NodeState.Fresh(cached.Hash); }
        SaveForLater(stamp);
        return NodeState.Fresh(stamp.Hash);
    }

    /// <summary>
    /// Saves what a check learnt (new mtimes, an input's identity) so the next check is cheaper. Only a saving: on a root
    /// that cannot be written (Plan or Verify on a read-only copy) the check goes on without it.
    /// </summary>
    void SaveForLater(Stamp stamp)
    {
        try { store.Write(stamp); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>The predicted state of every node of an ordered closure, a stale input making its dependents stale.</summary>
    public IReadOnlyList<(ArtifactNode Node, NodeState State)> Plan(IReadOnlyList<ArtifactNode> order)
    {
        var states = new Dictionary<string, NodeState>(StringComparer.OrdinalIgnoreCase);
        var result = new List<(ArtifactNode, NodeState)>();
        foreach (var node in order)
        {
            var state = Evaluate(node, id => states[id]);
            states[node.Id] = state;
            result.Add((node, state));
        }
        return result;
    }
}
