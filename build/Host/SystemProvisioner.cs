using System.Diagnostics;
using Cake.Core.Diagnostics;
using Isc.Build.Core;
using Isc.Build.Graph;
using Isc.Recipe;

namespace Isc.Build.Host;

/// <summary>
/// Before any work: finds the system packages the requested target needs (from the catalog's
/// <see cref="SystemRequirements"/>) and installs the missing ones on Debian/Ubuntu when it may
/// (root, or password-less sudo, and no --no-install); otherwise stops with the command to run.
/// </summary>
public static class SystemProvisioner
{
    /// <summary>The packages the target needs: its closure's system inputs and step kinds, its tool, the executor.</summary>
    public static IReadOnlyList<SystemRequirement> Needed(BuildGraph graph, BuildSettings settings, BuildOptions options, string target, IReadOnlySet<string> closure)
    {
        if (target == "Test") return SystemRequirements.All;
        var uses = new HashSet<SystemUse>();
        var files = new List<string>();
        foreach (var node in graph.Nodes.Where(n => closure.Contains(n.Id)))
        {
            if (node.External?.Path is { } path) files.Add(path);
            if (node.Step == "faces") uses.Add(SystemUse.FaceDetection);
            if (node.Step == "synth-images" && settings.Profile.Assets.SyntheticPhotoFont is { } font) files.Add(font);
        }
        if (closure.Contains("Verify") || closure.Contains("Report")) uses.Add(SystemUse.PyTorchInterop);
        if (options.Executor == "slurm") uses.Add(SystemUse.SlurmClient);
        var fromFiles = files.Select(SystemRequirements.Providing).OfType<SystemRequirement>();
        var needed = SystemRequirements.For(uses).Concat(fromFiles).ToHashSet();
        return [.. SystemRequirements.All.Where(needed.Contains)];
    }

    /// <summary>
    /// Installs what is missing, or throws a <see cref="BuildUsageException"/> (exit 2, nothing built) that says what to run.
    /// A dry run only says what a build would install.
    /// </summary>
    public static void Ensure(IReadOnlyList<SystemRequirement> needed, string target, BuildOptions options, ICakeLog log)
    {
        var missing = needed.Where(r => !r.IsPresent()).ToList();
        if (missing.Count == 0) return;
        var names = string.Join(" ", missing.Select(r => r.Package));
        var what = string.Join("\n  ", missing.Select(r => r.Describe()));
        if (!IsDebian())
            throw new BuildUsageException($"target {target} needs system files that are missing here; nothing was built. " +
                $"This is not a Debian/Ubuntu system, so the build cannot install them: install your system's equivalent of these Debian packages:\n  {what}");

        var sudo = IsRoot() ? "" : "sudo ";
        var command = (HasPackageLists() ? "" : $"{sudo}apt-get update && ") + $"{sudo}apt-get install -y --no-install-recommends {names}";
        if (options.DryRun)
        {
            log.Warning("Dry run: a build of {0} would first install {1} ({2})", target, names, command);
            return;
        }
        var why = options.NoInstall ? "--no-install was given" : IsRoot() || SudoWorks() ? null : $"this build runs as {Environment.UserName}, not root, and sudo asks for a password";
        if (why is not null)
            throw new BuildUsageException($"target {target} needs Debian packages that are not installed; nothing was built:\n  {what}\n" +
                $"Install them with:\n  {command}\nthen run the build again ({why}; the build installs them itself when run as root or with password-less sudo).");

        log.Information("Installing {0} with apt-get, because target {1} needs: {2}", names, target, string.Join("; ", missing.Select(r => $"{r.Package} for {r.Provides}")));
        var logFile = Path.Combine(Path.GetTempPath(), $"isc-apt-{Environment.ProcessId}.log");
        try
        {
            var updated = !HasPackageLists();
            if (updated) Apt(sudo, ["update"], logFile, "apt-get update");
            string[] install = ["install", "-y", "--no-install-recommends", .. missing.Select(r => r.Package)];
            try { Apt(sudo, install, logFile, command); }
            catch (BuildUsageException) when (!updated)
            {
                // Package lists older than the mirror name files it no longer has (404): refresh them once and retry.
                log.Information("apt-get install failed with the package lists on this machine; running apt-get update and trying again");
                Apt(sudo, ["update"], logFile, "apt-get update");
                Apt(sudo, install, logFile, command);
            }
        }
        finally { File.Delete(logFile); }
        var still = missing.Where(r => !r.IsPresent()).ToList();
        if (still.Count > 0)
            throw new BuildUsageException($"apt-get installed {names}, but these are still missing: {string.Join("; ", still.Select(r => $"{r.Package} ({r.Kind.ToString().ToLowerInvariant()} {r.Evidence})"))}; nothing was built.");
    }

    static void Apt(string sudo, string[] args, string logFile, string shown)
    {
        var psi = new ProcessStartInfo(sudo == "" ? "apt-get" : "sudo") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        if (sudo != "") { psi.ArgumentList.Add("-n"); psi.ArgumentList.Add("apt-get"); }
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        var output = stdout.Result + stderr.Result;
        File.WriteAllText(logFile, output);
        if (p.ExitCode != 0)
        {
            var tail = string.Join("\n    ", output.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(12));
            throw new BuildUsageException($"'{shown}' failed (exit {p.ExitCode}); nothing was built. Its last lines:\n    {tail}");
        }
    }

    static bool IsDebian() => OperatingSystem.IsLinux() && File.Exists("/etc/debian_version") && File.Exists("/usr/bin/apt-get");

    static bool IsRoot() => Environment.UserName == "root";

    /// <summary>apt-get install needs the package lists; a fresh container has none until apt-get update.</summary>
    static bool HasPackageLists() =>
        Directory.Exists("/var/lib/apt/lists") && Directory.EnumerateFiles("/var/lib/apt/lists", "*_Packages*").Any();

    static bool SudoWorks()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("sudo", ["-n", "true"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; } // no sudo installed
    }
}
