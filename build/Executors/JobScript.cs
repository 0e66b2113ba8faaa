using Isc.Artifacts;
using Isc.Recipe;

namespace Isc.Build.Executors;

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
            string.Join(' ', Launcher(config).Concat(command.Select(Quote))),
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

    /// <summary>Single-quotes a word for bash.</summary>
    public static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "/._-=:,@+".Contains(c)) ? s : "'" + s.Replace("'", "'\\''") + "'";
}
