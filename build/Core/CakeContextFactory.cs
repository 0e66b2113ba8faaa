using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Packaging;
using Cake.Core.Tooling;

namespace Isc.Build.Core;

/// <summary>The Cake.Core services a context is made of, wired the way Cake's own host wires them.</summary>
public static class CakeContextFactory
{
    public static ICakeContext Create(ICakeLog log, ICakeArguments arguments)
    {
        var fileSystem = new FileSystem();
        var environment = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
        var globber = new Globber(fileSystem, environment);
        var configuration = new CakeConfiguration(new Dictionary<string, string>());
        var tools = new ToolLocator(environment, new ToolRepository(environment),
            new ToolResolutionStrategy(fileSystem, environment, globber, configuration, log));
        return new CakeContext(fileSystem, environment, globber, log, arguments,
            new ProcessRunner(fileSystem, environment, log, tools, configuration), new WindowsRegistry(), tools,
            new CakeDataService(), configuration, new NoToolInstaller(), new NoServices());
    }

    sealed class NoToolInstaller : IToolInstaller
    {
        public IEnumerable<FilePath> Install(PackageReference tool) =>
            throw new NotSupportedException("the harness installs no Cake tools; its steps run through the isc worker");
    }

    sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
