using Cake.Core;

namespace Isc.Build.Core;

/// <summary>What the host needs of a task to register it with Cake's engine: its name, what it depends on, one action.</summary>
public interface IBuildTask
{
    string Name { get; }
    string Description { get; }
    IEnumerable<string> Dependencies { get; }

    /// <summary>Shown in --help's target list (artifact tasks are listed by kind instead).</summary>
    bool ListedInHelp { get; }

    Task RunAsync(ICakeContext context);
}

/// <summary>
/// A typed build task, Frosting-style: a name, what it depends on, and one action on the build's own context.
/// The host registers each with the Cake engine, which orders them, runs them, handles their errors and reports on them.
/// </summary>
public abstract class BuildTask<TContext> : IBuildTask where TContext : ICakeContext
{
    public abstract string Name { get; }
    public abstract string Description { get; }
    public virtual IEnumerable<string> Dependencies => [];
    public virtual bool ListedInHelp => true;

    public abstract Task RunAsync(TContext context);

    Task IBuildTask.RunAsync(ICakeContext context) => RunAsync((TContext)context);
}
