using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Packaging;
using Cake.Core.Tooling;
using Isc.Artifacts;
using Isc.Build.Graph;

namespace Isc.Build.Host;

/// <summary>What every task sees: the Cake context (log, file system, arguments) plus the harness's graph, stamps and outcomes.</summary>
public sealed class BuildContext : CakeContextAdapter
{
    public BuildContext(ICakeLog log, ICakeArguments arguments, BuildOptions options, BuildSettings settings, BuildGraph graph)
        : base(CakeServices.Create(log).Context(log, arguments))
    {
        Options = options;
        Settings = settings;
        Graph = graph;
        Store = new StampStore(settings.ArtifactsRoot);
        Planner = new Planner(Store);
    }

    public BuildOptions Options { get; }
    public BuildSettings Settings { get; }
    public BuildGraph Graph { get; }
    public StampStore Store { get; }
    public Planner Planner { get; }

    /// <summary>A line a task wants printed last, after Cake's summary (the Test target's "N passed, N failed, N skipped").</summary>
    public string? ClosingLine { get; set; }

    /// <summary>The requested target (Cake's name for it).</summary>
    public string Target { get; init; } = "";

    public IStepScheduler Scheduler { get; init; } = new LocalStepScheduler(1, [], keepGoing: false);

    /// <summary>The state each artifact ended in during this build (inputs of later steps read it).</summary>
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, NodeState> _states = new(StringComparer.OrdinalIgnoreCase);

    public string LogsDirectory => System.IO.Path.Combine(Settings.ArtifactsRoot, ".logs");

    public void SetState(string id, NodeState state) => _states[id] = state;

    public NodeState StateOf(string id) => _states.GetOrAdd(id, i => Planner.Evaluate(Graph[i], StateOf));

    internal sealed class NoToolInstaller : IToolInstaller
    {
        public IEnumerable<FilePath> Install(PackageReference tool) =>
            throw new NotSupportedException("the harness installs no Cake tools; its steps run through the isc worker");
    }

    internal sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}

/// <summary>The Cake.Core services a context is made of, wired the way Cake's own host wires them.</summary>
sealed class CakeServices
{
    public required IFileSystem FileSystem { get; init; }
    public required ICakeEnvironment Environment { get; init; }
    public required IGlobber Globber { get; init; }
    public required IProcessRunner ProcessRunner { get; init; }
    public required IRegistry Registry { get; init; }
    public required IToolLocator ToolLocator { get; init; }
    public required ICakeConfiguration Configuration { get; init; }

    public ICakeContext Context(ICakeLog log, ICakeArguments arguments) =>
        new CakeContext(FileSystem, Environment, Globber, log, arguments, ProcessRunner, Registry, ToolLocator,
            new CakeDataService(), Configuration, new BuildContext.NoToolInstaller(), new BuildContext.NoServices());

    public static CakeServices Create(ICakeLog log)
    {
        var fileSystem = new FileSystem();
        var environment = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
        var globber = new Globber(fileSystem, environment);
        var configuration = new CakeConfiguration(new Dictionary<string, string>());
        var tools = new ToolLocator(environment, new ToolRepository(environment),
            new ToolResolutionStrategy(fileSystem, environment, globber, configuration, log));
        return new CakeServices
        {
            FileSystem = fileSystem,
            Environment = environment,
            Globber = globber,
            ProcessRunner = new ProcessRunner(fileSystem, environment, log, tools, configuration),
            Registry = new WindowsRegistry(),
            ToolLocator = tools,
            Configuration = configuration,
        };
    }
}
