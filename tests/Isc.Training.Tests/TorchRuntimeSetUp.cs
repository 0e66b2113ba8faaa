using Isc.Torch.Runtime;

namespace Isc.Training.Tests;

/// <summary>
/// Makes libtorch loadable before any test of the assembly runs: a test that touched TorchSharp before
/// <see cref="TorchRuntime.EnsureLoadable"/> (on a fresh build output, where libLibTorchSharp.so is not yet patched) would
/// fail TorchSharp's type initializer, and with it every later torch test of the run.
/// </summary>
[SetUpFixture]
public class TorchRuntimeSetUp
{
    [OneTimeSetUp] public void Prepare() => TorchRuntime.EnsureLoadable();
}
