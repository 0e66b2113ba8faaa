using System.Diagnostics;

namespace Isc.Tests;

/// <summary>Runs Debian's /usr/bin/python3 (the Python the reference implementations are written for) and collects its output.</summary>
public static class DebianPython
{
    public const string Path = "/usr/bin/python3";

    /// <param name="ompThreads">OMP_NUM_THREADS for the child (numpy/torch threads), or null to inherit it.</param>
    public static (int Code, string Stdout, string Stderr) Run(IEnumerable<string> args, int? ompThreads = null)
    {
        var psi = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (ompThreads is { } n) psi.Environment["OMP_NUM_THREADS"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
