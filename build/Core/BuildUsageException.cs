namespace Isc.Build.Core;

/// <summary>A bad command line or configuration: printed without a stack trace, exit code 2.</summary>
public sealed class BuildUsageException(string message) : Exception(message);
