namespace Isc.Cli;

/// <summary>
/// One `isc` command. Implementations are discovered by reflection, so adding a command is adding a file.
/// A command wires a library to files and exit codes: parse, validate (clear errors), call, report.
/// </summary>
public interface IWorkerCommand
{
    /// <summary>The word after `isc`, e.g. "generate".</summary>
    string Name { get; }

    /// <summary>One line for `isc --help`.</summary>
    string Summary { get; }

    /// <summary>Full usage text for `isc NAME --help`.</summary>
    string Usage { get; }

    /// <summary>Runs the command; returns the process exit code (0 = success).</summary>
    Task<int> RunAsync(CommandArgs args, CancellationToken cancel);
}

/// <summary>A bad invocation or bad input: printed as "isc NAME: message" with exit code 2, no stack trace.</summary>
public sealed class UsageException(string message) : Exception(message);
