using Cake.Core.Diagnostics;
using Isc.Build.Core;
using Isc.Recipe;

namespace Isc.Build.Executors.Slurm;

/// <summary>
/// Checks that the artifacts root is shared with the cluster's nodes before any step is submitted: a small
/// job writes a token file under the root, and the build reads it back. Jobs whose outputs land on a
/// node's local disk would "succeed" and leave the build nothing, so this fails early and says why.
/// </summary>
public sealed class SharedStorageProbe(SlurmClient slurm, SlurmConfig config, ICakeLog log)
{
    public void Verify(string artifactsRoot, string repoRoot)
    {
        var token = Guid.NewGuid().ToString("N");
        var dir = Path.Combine(artifactsRoot, ".probe");
        Directory.CreateDirectory(dir);
        Directory.CreateDirectory(Path.Combine(artifactsRoot, ".logs"));
        var file = Path.Combine(dir, token);
        var body = $"mkdir -p {Shell.Quote(dir)} && echo \"{token} $(hostname)\" > {Shell.Quote(file + ".tmp")} && mv {Shell.Quote(file + ".tmp")} {Shell.Quote(file)}";
        var script = JobScript.Write(Path.Combine(dir, token + ".sbatch"), "isc-storage-probe",
            new StepResources(0, 1, 100, TimeSpan.FromMinutes(5)), config, repoRoot,
            Path.Combine(artifactsRoot, ".logs", "slurm-probe.log"), ["/usr/bin/env", "bash", "-c", body],
            "Shared-storage probe: writes a token file under the artifacts root for the build to read back.");
        var jobId = slurm.Submit([], script);
        log.Information("Shared storage: probe job {0} writes {1} on a node ...", jobId, file);

        var deadline = DateTime.UtcNow + config.ProbeTimeout;
        SlurmJobState? state = null;
        while (true)
        {
            state = slurm.Query([jobId]).GetValueOrDefault(jobId);
            if (state is null || !state.IsActive) break;
            if (DateTime.UtcNow > deadline)
            {
                slurm.Cancel([jobId]);
                throw new BuildUsageException(
                    $"the shared-storage probe job {jobId} did not finish within {config.ProbeTimeout.TotalSeconds:F0} s (state {state.State}, reason {state.Reason}); " +
                    "the cluster may be busy. Raise slurm.probeTimeoutSeconds, or set slurm.checkStorage to false when you know the artifacts root is shared.");
            }
            Thread.Sleep(TimeSpan.FromMilliseconds(500));
        }

        // Network file systems may show a new file a moment late: look for a few seconds.
        var seenUntil = DateTime.UtcNow.AddSeconds(5);
        while (!Visible(file, token) && DateTime.UtcNow < seenUntil) Thread.Sleep(250);
        File.Delete(Path.Combine(dir, token + ".sbatch"));
        if (Visible(file, token))
        {
            var node = File.ReadAllText(file).Split(' ', 2).ElementAtOrDefault(1)?.Trim();
            File.Delete(file);
            log.Information("Shared storage: the file probe job {0} wrote on node {1} is visible here; the artifacts root is shared.", jobId, node ?? "?");
            return;
        }
        var how = state is null ? "finished" : $"ended {state.State} ({state.Reason}) on {state.Nodes}";
        throw new BuildUsageException(
            $"the artifacts root {artifactsRoot} is not shared with the cluster's nodes: probe job {jobId} {how} " +
            $"and was to write {file}, but that file is not visible here. Every node must see the artifacts root at the same path: " +
            $"put it on shared storage (--artifacts=/shared/path, or \"artifacts\" in isc.local.json) and build again. " +
            $"The probe's log, if the node could write it: {Path.Combine(artifactsRoot, ".logs", "slurm-probe.log")}");
    }

    static bool Visible(string file, string token)
    {
        try { return File.Exists(file) && File.ReadAllText(file).StartsWith(token, StringComparison.Ordinal); }
        catch (IOException) { return false; }
    }
}
