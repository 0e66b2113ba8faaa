namespace Isc.Torch.Runtime;

/// <summary>libtorch cannot be used as asked: a device that is not there, or a native library this system cannot load.</summary>
public sealed class TorchRuntimeException(string message) : Exception(message);
