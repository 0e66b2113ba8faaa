using System.Diagnostics;
using System.Text;

namespace Isc.Build.Tests;

/// <summary>Runs the real ./build.sh and tools/isc as child processes, as a user would.</summary>
public static class Harness
{
    public static string RepoRoot { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "D2lv.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    public sealed record Result(int ExitCode, string Output, TimeSpan Elapsed)
    {
        public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:F1}s:\n{Output}";
    }

    public static Result Build(params string[] args) => Run(Path.Combine(RepoRoot, "build.sh"), args, TimeSpan.FromMinutes(20));

    public static Result Isc(params string[] args) => Run(Path.Combine(RepoRoot, "tools", "isc"), args, TimeSpan.FromMinutes(10));

    public static Result Run(string exe, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? env = null)
    {
        var watch = Stopwatch.StartNew();
        using var p = Start(exe, args, out var output, env);
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{exe} {string.Join(' ', args)} did not finish in {timeout}:\n{output}");
        }
        p.WaitForExit();
        return new Result(p.ExitCode, output.ToString(), watch.Elapsed);
    }

    public static Process Start(string exe, IEnumerable<string> args, out StringBuilder output, IReadOnlyDictionary<string, string>? env = null)
    {
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["NO_COLOR"] = "1";
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var sb = new StringBuilder();
        var p = new Process { StartInfo = info };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (sb) sb.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (sb) sb.AppendLine(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        output = sb;
        return p;
    }

    /// <summary>A fresh artifacts root for one test, removed afterwards.</summary>
    public static string TempRoot(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "isc-build-tests", $"{name}-{Guid.NewGuid():N}"[..Math.Min(40, name.Length + 33)]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The task names the summary reports as built.</summary>
    public static List<string> Built(string output) =>
        [.. output.Split('\n').Select(l => l.TrimEnd())
            .Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\S+\s+built\s+\d+:\d\d[:.]\d+"))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0])];
}
