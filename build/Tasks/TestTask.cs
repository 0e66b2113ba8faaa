using System.Diagnostics;
using System.Text.RegularExpressions;
using Cake.Core;
using Cake.Core.Diagnostics;
using Isc.Build.Core;

namespace Isc.Build.Tasks;

/// <summary>
/// ./build.sh --target=Test: the whole test suite on this machine, with nothing skipped. The host has installed the
/// test prerequisites before this runs (SystemRequirements, Test target); this starts a single-node Slurm cluster
/// when none answers (tools/slurm-up.sh, stopped again by process id), builds the solution, runs
/// `dotnet test D2lv.sln -c Release --no-build` with the tests told to fail rather than skip, and closes with
/// "N passed, N failed, N skipped".
/// </summary>
public sealed partial class TestTask : BuildTask<BuildContext>
{
    /// <summary>The environment variable the test fixtures read: set, a missing prerequisite fails its test instead of skipping it.</summary>
    public const string RequireAllVariable = "ISC_TEST_REQUIRE_ALL";

    public override string Name => "Test";
    public override string Description => "install the test prerequisites, start a test Slurm cluster, build and run the whole test suite";

    public override async Task RunAsync(BuildContext context)
    {
        var root = context.Settings.RepoRoot;
        var log = context.Log;
        string? clusterDir = null;
        try
        {
            clusterDir = StartCluster(root, log);
            log.Information("Test: building the solution (Release) ...");
            Run(context, "dotnet", ["build", Path.Combine(root, "D2lv.sln"), "-c", "Release", "--nologo", "-v", "quiet", "-tl:off", "-clp:ErrorsOnly;NoSummary"], null, echo: true);
            // The solution build built the worker: tell tools/isc so the tests that start it do not rebuild it at once.
            Directory.CreateDirectory(Path.Combine(root, "src", "Isc.Cli", "bin"));
            File.WriteAllText(Path.Combine(root, "src", "Isc.Cli", "bin", ".bootstrap-stamp"), "TorchDevice=" + (Environment.GetEnvironmentVariable("TorchDevice") is { Length: > 0 } d ? d : "cpu"));

            log.Information("Test: dotnet test D2lv.sln -c Release --no-build (every prerequisite required: {0}=1)", RequireAllVariable);
            var env = new Dictionary<string, string?> { [RequireAllVariable] = "1", ["ISC_REPO_ROOT"] = null, ["ISC_WORKER"] = null };
            if (clusterDir is not null) env["SLURM_CONF"] = Path.Combine(clusterDir, "slurm.conf");
            var (code, output) = Run(context, "dotnet", ["test", Path.Combine(root, "D2lv.sln"), "-c", "Release", "--no-build"], env, echo: true, check: false);
            var (passed, failed, skipped) = Totals(output);
            if (code != 0 && failed == 0) failed = 1;
            if (passed == 0 && failed == 0) failed = 1;
            var line = $"{passed} passed, {failed} failed, {skipped} skipped";
            context.Log.Information(line);
            context.ClosingLine = line;
            if (failed > 0) throw new CakeException($"the tests failed: {line}");
        }
        finally
        {
            if (clusterDir is not null) StopCluster(root, clusterDir, log);
        }
        await Task.CompletedTask;
    }

    /// <summary>Sums the "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T" line each test assembly ends with.</summary>
    public static (int Passed, int Failed, int Skipped) Totals(string output)
    {
        int p = 0, f = 0, s = 0;
        foreach (Match m in AssemblyTotals().Matches(output))
        {
            f += int.Parse(m.Groups[1].Value);
            p += int.Parse(m.Groups[2].Value);
            s += int.Parse(m.Groups[3].Value);
        }
        return (p, f, s);
    }

    [GeneratedRegex(@"(?:Passed|Failed)! +- +Failed: *(\d+), Passed: *(\d+), Skipped: *(\d+)")]
    private static partial Regex AssemblyTotals();

    /// <summary>Starts tools/slurm-up.sh in a fresh folder when no Slurm controller answers here; null when one already runs.</summary>
    static string? StartCluster(string root, ICakeLog log)
    {
        if (Answers("sinfo", ["--noheader"])) { log.Information("Test: a Slurm cluster answers here; the cluster tests use it"); return null; }
        if (Environment.UserName != "root" && !Answers("sudo", ["-n", "true"]))
        {
            log.Warning("Test: no Slurm cluster answers and this build is neither root nor allowed password-less sudo, so it cannot start the test cluster (daemons, device nodes): the cluster tests will fail. Start one with sudo tools/slurm-up.sh.");
            return null;
        }
        var dir = Path.Combine(Path.GetTempPath(), $"isc-slurm-test-{Environment.ProcessId}");
        log.Information("Test: starting a single-node Slurm cluster for the cluster tests (tools/slurm-up.sh {0})", dir);
        var (code, output) = AsRoot(Path.Combine(root, "tools", "slurm-up.sh"), dir);
        if (code != 0)
        {
            StopCluster(root, dir, log);
            throw new CakeException($"tools/slurm-up.sh could not start the test cluster (exit {code}):\n{output.Trim()}");
        }
        return dir;
    }

    static void StopCluster(string root, string dir, ICakeLog log)
    {
        var (code, output) = AsRoot(Path.Combine(root, "tools", "slurm-down.sh"), dir);
        log.Information("Test: stopped the test cluster{0}", code == 0 ? "" : $" (slurm-down exit {code}: {output.Trim()})");
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>The cluster scripts start daemons and make device nodes: as root, or through password-less sudo.</summary>
    static (int Code, string Output) AsRoot(string script, string dir) =>
        Environment.UserName == "root" ? Exec(script, [dir], null) : Exec("sudo", ["-n", script, dir], null);

    static bool Answers(string tool, string[] args)
    {
        try { return Exec(tool, args, null).Code == 0; }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }

    static (int Code, string Output) Run(BuildContext context, string exe, string[] args, IReadOnlyDictionary<string, string?>? env, bool echo, bool check = true)
    {
        var (code, output) = Exec(exe, args, env, echo ? line => context.Log.Information("{0}", line) : null);
        if (check && code != 0)
            throw new CakeException($"'{exe} {string.Join(' ', args)}' failed (exit {code})");
        return (code, output);
    }

    static (int Code, string Output) Exec(string exe, string[] args, IReadOnlyDictionary<string, string?>? env, Action<string>? echo = null)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string?>())
            if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        var all = new System.Text.StringBuilder();
        using var p = new Process { StartInfo = psi };
        void Line(string? text)
        {
            if (text is null) return;
            lock (all) { all.AppendLine(text); echo?.Invoke(text); }
        }
        p.OutputDataReceived += (_, e) => Line(e.Data);
        p.ErrorDataReceived += (_, e) => Line(e.Data);
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        p.WaitForExit();
        return (p.ExitCode, all.ToString());
    }
}
