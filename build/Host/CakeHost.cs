using Cake.Core;
using Cake.Core.Diagnostics;
using Isc.Artifacts;
using Isc.Build.Core;
using Isc.Build.Executors.Local;
using Isc.Build.Executors.Slurm;
using Isc.Build.Graph;
using Isc.Build.Tasks;
using Isc.Recipe;

namespace Isc.Build.Host;

/// <summary>
/// The Frosting-style host: composes the layers (command line and configuration → settings → graph → scheduler →
/// tasks), registers the typed tasks with Cake's engine, lets Cake order and run them (or walk them for --dryrun),
/// and prints Cake's task summary. One build per artifacts root at a time.
/// </summary>
public static class CakeHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var started = DateTime.UtcNow;
        var console = new BuildConsole(new CakeConsole(new CakeEnvironment(new CakePlatform(), new CakeRuntime())));
        BuildOptions options;
        try { options = BuildOptions.Parse(args); }
        catch (BuildUsageException e) { console.WriteErrorLine($"error: {e.Message}"); return 2; }
        var log = new SyncLog(new CakeBuildLog(console, options.Verbosity));

        try
        {
            var repoRoot = RepoRoot.Find();
            var config = BuildConfig.Load(repoRoot, options.ConfigFile);
            var settings = SettingsResolver.Resolve(repoRoot, config, options);
            var graph = GraphFor(settings, options, log);
            var tasks = TaskCatalog.For(graph);
            if (options.Help) { HelpText.Print(console, tasks, settings); return 0; }

            var target = TargetResolver.Resolve(options.Target, tasks.Select(t => t.Name).ToList());
            if (target is not ("Plan" or "Clean"))
                SystemProvisioner.Ensure(SystemProvisioner.Needed(graph, settings, options, target, Closure(tasks, target)), target, options, log);
            var context = ContextFor(args, options, config, settings, graph, target, log);
            var readOnly = options.DryRun || target is "Plan" or "Verify" or "Report" or "Test";
            if (!readOnly) BuildLock.EnsureWritable(settings.ArtifactsRoot);
            if (!readOnly) CheckInputs(context, tasks, target);

            using var buildLock = readOnly ? null : BuildLock.Acquire(settings.ArtifactsRoot, options.WaitLock, m => log.Warning(m));
            var engine = EngineFor(tasks, log);
            log.Information("Profile {0}, target {1}, artifacts in {2}{3}", settings.Profile.Name, target, settings.ArtifactsRoot, options.DryRun ? " (dry run)" : "");
            if (target == "Clean" && options.CleanArtifact is null && CleanTask.ConfirmWholeProfile(context) is { } stop) return stop;
            return options.DryRun ? await DryRunAsync(engine, context, log) : await BuildAsync(engine, context, log, started);
        }
        catch (Exception e) when (e is BuildUsageException or LockedException or NotWritableException or Isc.Recipe.RecipeException)
        {
            log.Error("error: {0}", e.Message);
            return 2;
        }
    }

    /// <summary>The graph of the settings, refusing a --set that would change nothing and an input option that is not used.</summary>
    static BuildGraph GraphFor(BuildSettings settings, BuildOptions options, ICakeLog log)
    {
        var graph = GraphBuilder.Build(settings);
        // A --set aimed at a target that does not exist would silently change nothing: refuse it.
        foreach (var (setTarget, key, _) in settings.Sets)
            if (graph.Find(setTarget) is null && !SettingOverrides.IsGroup(setTarget))
                throw new BuildUsageException($"--set {setTarget}.{key}: there is no artifact '{setTarget}'. {TargetResolver.Suggest(setTarget, graph.Nodes.Select(n => n.Id))}");
            else if (graph.Find(setTarget) is { } node && ConfigSchema.NoSettings(node.Id) is { } none)
                throw new BuildUsageException($"--set {setTarget}.{key}: {none}");
        var unused = UnusedInputOptions.Find(settings, options, graph);
        if (unused.Any(u => u.FromCommandLine))
            throw new BuildUsageException(string.Join("\n", unused.Where(u => u.FromCommandLine).Select(u => u.Message)) + "\nRemove the option; nothing was built.");
        foreach (var u in unused) log.Warning("warning: {0}", u.Message);
        return graph;
    }

    /// <summary>The tasks' context: Cake's services, the settings and graph, and the scheduler the options choose, created complete.</summary>
    static BuildContext ContextFor(string[] args, BuildOptions options, OptionLayer config, BuildSettings settings, BuildGraph graph, string target, ICakeLog log)
    {
        var arguments = new CakeArguments(args.Select(a => a.TrimStart('-').Split('=', 2))
            .ToLookup(p => p[0], p => p.Length > 1 ? p[1] : "true", StringComparer.OrdinalIgnoreCase));
        var steps = new StepBoard();
        IStepScheduler scheduler = options.Executor == "slurm"
            ? new SlurmStepScheduler(SlurmConfig.Parse(config.Sections.GetValueOrDefault("slurm")), options.Detach, settings.Profile, settings.RepoRoot, settings.ArtifactsRoot, steps, log)
            : new LocalStepScheduler(options.Jobs ?? 1, options.Gpus, options.KeepGoing, settings.RepoRoot, steps, log);
        return new BuildContext(CakeContextFactory.Create(log, arguments), new TaskOptions(options.DryRun, options.Deep, options.Yes, options.CleanArtifact),
            settings, graph, scheduler, steps, new EarlierJobs(new StampStore(settings.ArtifactsRoot), log))
        {
            Target = target,
        };
    }

    /// <summary>Cake's engine with every task registered, in Cake's terms (name, description, dependencies, action).</summary>
    static CakeEngine EngineFor(IEnumerable<IBuildTask> tasks, ICakeLog log)
    {
        var engine = new CakeEngine(new CakeDataService(), log);
        foreach (var task in tasks)
        {
            var builder = engine.RegisterTask(task.Name).Description(task.Description)
                .Does(async ctx => await task.RunAsync(ctx));
            foreach (var dependency in task.Dependencies) builder.IsDependentOn(dependency);
        }
        return engine;
    }

    /// <summary>--dryrun: Cake walks the target's tasks and each artifact says whether it would build, and why.</summary>
    static async Task<int> DryRunAsync(CakeEngine engine, BuildContext context, ICakeLog log)
    {
        var dry = new DryRunStrategy(context);
        await engine.RunTargetAsync(context, dry, new ExecutionSettings().SetTarget(context.Target));
        log.Information("Dry run: {0} step(s) would run.", dry.WouldRun);
        return 0;
    }

    /// <summary>Runs the target, waits for every step started, prints the summary; exit 0, or 1 when a step failed or was skipped.</summary>
    static async Task<int> BuildAsync(CakeEngine engine, BuildContext context, ICakeLog log, DateTime started)
    {
        var printer = new SummaryPrinter(log, context);
        try
        {
            var report = await engine.RunTargetAsync(context, new DefaultExecutionStrategy(log, printer), new ExecutionSettings().SetTarget(context.Target));
            await context.Steps.WhenAllStarted();
            printer.Write(report);
            printer.Totals(DateTime.UtcNow - started);
            log.Information("Build time {0:F2} s (after start-up).", (DateTime.UtcNow - started).TotalSeconds);
            if (context.ClosingLine is { } closing) log.Information("{0}", closing);
            if (context.Steps.Records.Values.Any(r => r.Outcome is "failed" or "skipped")) return 1;
            return ReproductionVerdict.Check(context, log);
        }
        catch (Exception e)
        {
            await context.Steps.WhenAllStarted();
            printer.WriteRecords();
            printer.Totals(DateTime.UtcNow - started);
            log.Error("Build failed: {0}", (e as AggregateException)?.InnerException?.Message ?? e.Message);
            if (context.ClosingLine is { } closing) log.Information("{0}", closing);
            return 1;
        }
    }

    /// <summary>Fails fast, before any work, when an input the target needs is missing.</summary>
    static void CheckInputs(BuildContext context, IReadOnlyList<IBuildTask> tasks, string target)
    {
        var needed = Closure(tasks, target);
        var problems = new List<string>();
        foreach (var node in context.Graph.Nodes.Where(n => n.IsExternal && needed.Contains(n.Id)))
        {
            var state = context.Planner.Evaluate(node, context.StateOf);
            if (!state.UpToDate)
                problems.Add($"{node.External!.Name} ({node.Id}): {state.Reason}.\n    {node.External.HowToGet}");
        }
        if (problems.Count > 0)
            throw new BuildUsageException($"missing input(s) for target {target}; nothing was built:\n  " + string.Join("\n  ", problems));
    }

    /// <summary>The target and every task it depends on, by name.</summary>
    static HashSet<string> Closure(IReadOnlyList<IBuildTask> tasks, string target)
    {
        var byName = tasks.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
        var needed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Visit(string name)
        {
            if (!needed.Add(name) || !byName.TryGetValue(name, out var t)) return;
            foreach (var d in t.Dependencies) Visit(d);
        }
        Visit(target);
        return needed;
    }
}

public static class RepoRoot
{
    public static string Find()
    {
        var fromEnv = Environment.GetEnvironmentVariable("ISC_REPO_ROOT");
        if (!string.IsNullOrEmpty(fromEnv)) return Path.GetFullPath(fromEnv);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "D2lv.sln"))) return dir.FullName;
        throw new BuildUsageException("cannot find the repository root (D2lv.sln); run the build through ./build.sh");
    }
}
