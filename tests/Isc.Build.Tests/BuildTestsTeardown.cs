using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>After the build tests: stops the Slurm test cluster if a fixture had to start it.</summary>
[SetUpFixture]
public sealed class BuildTestsTeardown
{
    [OneTimeTearDown]
    public void StopTestCluster() => SlurmCluster.StopIfStarted();
}
