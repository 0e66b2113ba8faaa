using Isc.Build.Core;

namespace Isc.Build.Tasks;

/// <summary>A named group of artifacts (All33, Datasets, Pretrained, ...): waits for its members; no action of its own.</summary>
public sealed class AggregateTask(string name, string description, IEnumerable<string> members, bool listed = true) : BuildTask<BuildContext>
{
    readonly List<string> _members = [.. members];
    public override string Name => name;
    public override string Description => description;
    public override IEnumerable<string> Dependencies => _members;
    public override bool ListedInHelp => listed;

    public override Task RunAsync(BuildContext context) => TargetWait.ForAll(context, _members);
}
