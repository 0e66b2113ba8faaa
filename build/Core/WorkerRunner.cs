using System.Diagnostics;
using Cake.Core.Diagnostics;

namespace Isc.Build.Core;

/// <summary>
/// Runs the `isc` worker as a child process. Its output goes, line by line, to the artifact's log file
/// (always) and to the console (at normal verbosity and above), so long steps show their progress.
/// </summary>
public static class WorkerRunner
{
    public static string WorkerExecutable(string repoRoot)
    {
        var fromEnv = Environment.GetEnvironmentVariable("ISC_WORKER");
        if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
        var name = OperatingSystem.IsWindows() ? "isc.exe" : "isc";
        var bin = Path.Combine(repoRoot, "src", "Isc.Cli", "bin", "Release", "net10.0");
        var found = Directory.Exists(bin)
            ? Directory.EnumerateFiles(bin, name, SearchOption.AllDirectories).FirstOrDefault()
            : null;
        return found ?? throw new BuildUsageException(
            $"the isc worker is not built (looked under {bin}); run ./build.sh, which builds it, or tools/isc --help");
    }

    /// <summary>Tells the worker to watch its stdin for the build's end; the worker's Isc.Cli.ParentWatch reads it.</summary>
    public const string SupervisedVariable = "ISC_SUPERVISED";

    public static async Task<int> RunAsync(string executable, IReadOnlyList<string> args, string logPath, ICakeLog log, string prefix,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The worker's stdin is a pipe this process holds open and never writes to: when the build dies,
            // however it dies, the worker reads end-of-file and stops (src/Isc.Cli/ParentWatch.cs says why a pipe).
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment[SupervisedVariable] = "stdin";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;

        await using var writer = new StreamWriter(logPath, append: true) { AutoFlush = true };
        await writer.WriteLineAsync($"==== {DateTime.UtcNow:u} {executable} {string.Join(' ', args)}");
        var gate = new object();
        void Line(string? line, bool error)
        {
            if (line is null) return;
            lock (gate)
            {
                writer.WriteLine(line);
                if (log.Verbosity >= Verbosity.Normal) log.Write(Verbosity.Normal, error ? LogLevel.Warning : LogLevel.Information, "{0}", $"  {prefix} │ {line}");
            }
        }

        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Line(e.Data, false);
        process.ErrorDataReceived += (_, e) => Line(e.Data, true);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync();
        process.WaitForExit(); // drains the asynchronous readers
        lock (gate) writer.WriteLine($"==== exit code {process.ExitCode}");
        return process.ExitCode;
    }

    public static IReadOnlyList<string> Tail(string logPath, int lines)
    {
        if (!File.Exists(logPath)) return [];
        var all = File.ReadAllLines(logPath);
        return all[Math.Max(0, all.Length - lines)..];
    }
}
