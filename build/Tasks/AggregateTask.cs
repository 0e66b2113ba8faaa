using Isc.Build.Host;

namespace Isc.Build.Tasks;

/// <summary>A named group of artifacts (All33, Datasets, Pretrained, ...): no action of its own.</summary>
public sealed class AggregateTask(string name, string description, IEnumerable<string> members) : BuildTask
{
    readonly List<string> _members = [.. members];
    public override string Name => name;
    public override string Description => description;
    public override IEnumerable<string> Dependencies => _members;

    public override Task RunAsync(BuildContext context)
    {
        var failed = _members.Where(m => context.Outcomes.GetValueOrDefault(m) is "failed" or "skipped").ToList();
        if (failed.Count > 0) throw new Cake.Core.CakeException($"{name}: {failed.Count} of {_members.Count} parts did not build: {string.Join(", ", failed.Take(5))}{(failed.Count > 5 ? ", ..." : "")}");
        return Task.CompletedTask;
    }
}
