using Isc.Artifacts;
using Isc.Recipe;

namespace Isc.Cli.Tests;

/// <summary>Step specs as the build writes them, in a temporary folder of their own.</summary>
sealed class SpecFiles : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("isc-cli-tests-").FullName;

    /// <summary>Writes the spec of <paramref name="artifact"/> carrying <paramref name="settings"/> where the build puts it; returns its path.</summary>
    public string Write(string artifact, Profile? settings)
    {
        var store = new StampStore(Root);
        Directory.CreateDirectory(store.Directory);
        var path = store.SpecPathOf(artifact);
        new StepSpec
        {
            Artifact = artifact, Step = "test", StepVersion = 1, Root = Root, Params = [], Inputs = [], Commands = [], Outputs = [],
            Settings = settings is null ? null : ProfileJson.ToElement(settings),
        }.Save(path);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
