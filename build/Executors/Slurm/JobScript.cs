using Isc.Artifacts;
using Isc.Build.Core;
using Isc.Recipe;

namespace Isc.Build.Executors.Slurm;

/// <summary>
/// Writes the batch script of a step (<c>.stamps/&lt;artifact&gt;.sbatch</c>): its resources as #SBATCH lines and
/// the same worker command a local build runs, <c>tools/isc step --spec SPEC</c>. Only the dependencies are
/// given on sbatch's command line, so `sbatch` of the script alone reruns the step by hand.
/// </summary>
public static class JobScript
{
    public static string Write(string path, string jobName, StepResources resources, SlurmConfig config, string repoRoot,
        string logPath, IEnumerable<string> command, string description)
    {
        // The build refuses such paths when it reads its settings; this guards every other way one could arrive here.
        RefuseControlCharacters("the repository path", repoRoot);
        RefuseControlCharacters("the log path", logPath);
        RefuseControlCharacters("the job name", jobName);
        RefuseControlCharacters("the description", description);
        foreach (var setting in new[] { config.Partition, config.Account, config.Launcher }.Concat(config.ExtraArgs).OfType<string>())
            RefuseControlCharacters("the slurm configuration", setting);
        var words = command.ToList();
        for (var i = 0; i < words.Count; i++)
            RefuseControlCharacters(i > 0 && words[i - 1].StartsWith("--") ? $"the worker argument after {words[i - 1]}" : $"worker argument {i}", words[i]);
        var lines = new List<string>
        {
            "#!/usr/bin/env bash",
            $"# {description}",
            "# Written by ./build.sh --executor=slurm; the build adds --dependency=afterok:<input jobs> --kill-on-invalid-dep=yes.",
        };
        lines.AddRange(Directives(jobName, resources, config, repoRoot, logPath));
        lines.AddRange(
        [
            "set +e",
            "echo \"==== $(date -u '+%Y-%m-%d %H:%M:%SZ') slurm job ${SLURM_JOB_ID:-?} on $(hostname), CUDA_VISIBLE_DEVICES=${CUDA_VISIBLE_DEVICES:-none}\"",
            string.Join(' ', Launcher(config).Concat(words.Select(Shell.Quote))),
            "rc=$?",
            "echo \"==== exit code $rc\"",
            "exit $rc",
        ]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    static IEnumerable<string> Directives(string jobName, StepResources r, SlurmConfig config, string repoRoot, string logPath)
    {
        yield return $"#SBATCH --job-name={jobName}";
        yield return $"#SBATCH --output={logPath}";
        yield return "#SBATCH --open-mode=append";
        yield return $"#SBATCH --chdir={repoRoot}";
        yield return "#SBATCH --nodes=1";
        yield return "#SBATCH --ntasks=1";
        yield return $"#SBATCH --cpus-per-task={r.Cpus}";
        yield return $"#SBATCH --mem={r.MemoryMb}M";
        yield return $"#SBATCH --time={r.SlurmTime}";
        if (r.Gpus > 0) yield return $"#SBATCH --gres=gpu:{r.Gpus}";
        if (config.Partition is { } p) yield return $"#SBATCH --partition={p}";
        if (config.Account is { } a) yield return $"#SBATCH --account={a}";
        foreach (var extra in config.ExtraArgs) yield return $"#SBATCH {extra}";
    }

    /// <summary>The launcher prefix (e.g. a container runtime) as written in the configuration, verbatim.</summary>
    static IEnumerable<string> Launcher(SlurmConfig config) => config.Launcher is { } l ? [l] : [];

    /// <summary>A control character in a job script line would end it and start another (an injected command or #SBATCH line).</summary>
    static void RefuseControlCharacters(string what, string value)
    {
        if (!value.Any(char.IsControl)) return;
        var bad = value.First(char.IsControl);
        throw new BuildUsageException($"refusing to write a Slurm job script: {what} contains the control character U+{(int)bad:X4} " +
            $"('{value.Replace("\n", "\\n").Replace("\r", "\\r")}'); move the artifacts root or repository to a path without one");
    }
}
