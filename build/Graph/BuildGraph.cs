namespace Isc.Build.Graph;

/// <summary>The artifact nodes of one profile, by id (case-insensitive), in dependency order.</summary>
public sealed class BuildGraph
{
    readonly Dictionary<string, ArtifactNode> _byId;

    public BuildGraph(IReadOnlyList<ArtifactNode> nodes)
    {
        Nodes = nodes;
        _byId = nodes.ToDictionary(n => n.Id, StringComparer.OrdinalIgnoreCase);
        foreach (var n in nodes)
            foreach (var i in n.Inputs)
                if (!_byId.ContainsKey(i)) throw new InvalidOperationException($"{n.Id} depends on unknown artifact {i}");
    }

    public IReadOnlyList<ArtifactNode> Nodes { get; }

    public ArtifactNode? Find(string id) => _byId.GetValueOrDefault(id);

    public ArtifactNode this[string id] => _byId[id];

    /// <summary>The node and everything it needs, inputs first.</summary>
    public IReadOnlyList<ArtifactNode> Closure(IEnumerable<string> ids)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var order = new List<ArtifactNode>();
        void Visit(ArtifactNode n)
        {
            if (!seen.Add(n.Id)) return;
            foreach (var i in n.Inputs) Visit(_byId[i]);
            order.Add(n);
        }
        foreach (var id in ids) Visit(_byId[id]);
        return order;
    }
}
