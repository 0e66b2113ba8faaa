namespace Isc.Build.Host;

/// <summary>
/// A typed build task, Frosting-style: a name, what it depends on, and one action. The host registers
/// each with the Cake engine, which orders them, runs them, handles their errors and reports on them.
/// </summary>
public abstract class BuildTask
{
    public abstract string Name { get; }
    public abstract string Description { get; }
    public virtual IEnumerable<string> Dependencies => [];

    /// <summary>Shown in --help's target list (artifact tasks are listed by kind instead).</summary>
    public virtual bool ListedInHelp => true;

    public abstract Task RunAsync(BuildContext context);
}
