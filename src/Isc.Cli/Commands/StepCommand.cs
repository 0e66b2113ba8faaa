using System.Diagnostics;
using Isc.Artifacts;

namespace Isc.Cli.Commands;

/// <summary>
/// Makes one artifact of the build graph from a step spec: takes the artifact's lock, forgets the old stamp, keeps
/// only resumable state made for the same identity (inputs, parameters, step version), runs the step's commands in
/// order, checks the declared outputs, and writes the new stamp last. Killed midway, it leaves no stamp, so the next
/// build redoes the step (the commands themselves resume from what they finished, if it was for the same identity).
/// </summary>
public sealed class StepCommand : IWorkerCommand
{
    public string Name => "step";
    public string Summary => "make one build artifact from a step spec written by the build (then stamp it)";
    public string Usage => """
        usage: isc step --spec <file.json> [--wait-lock <seconds>]

        Runs the commands of a step spec (written by ./build.sh under <artifacts>/.stamps/), verifies the
        outputs it declares and writes the artifact's stamp. This is how the build, a second GPU or a
        cluster job makes an artifact; to run a step by hand use its own command (isc --help).
        Only one process at a time makes an artifact: another one's lock is waited for up to --wait-lock
        seconds (default 60), then the step fails naming the holder.
        """;

    public async Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var specPath = args.Required("spec");
        var waitLock = args.Double("wait-lock", 60);
        args.RejectUnknown();
        if (!File.Exists(specPath)) throw new UsageException($"step spec {specPath} does not exist");
        var spec = StepSpec.Load(specPath);
        var store = new StampStore(spec.Root);
        using var artifactLock = ArtifactLock.Acquire(store, spec.Artifact, TimeSpan.FromSeconds(waitLock), m => Console.WriteLine($"[{spec.Artifact}] {m}"));
        store.Delete(spec.Artifact);
        var inputs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in spec.Inputs)
            inputs[input] = store.Read(input)?.Hash
                ?? throw new InvalidDataException($"{spec.Artifact}: its input {input} is not built (no valid stamp in {store.Directory}); build it first");
        var identity = new ArtifactIdentity(spec.Artifact, spec.Step, spec.StepVersion, spec.Params, inputs);
        foreach (var note in new StepState(store, spec.Artifact).Bind(identity, [.. spec.Outputs.Select(o => o.Path), .. spec.State]))
            Console.WriteLine($"[{spec.Artifact}] {note}");

        var started = DateTime.UtcNow;
        var watch = Stopwatch.StartNew();
        using var advice = Isc.Recipe.SettingAdvice.InBuild();
        Console.WriteLine($"[{spec.Artifact}] step {spec.Step} v{spec.StepVersion} started {started:u} on {Environment.MachineName}, " +
            $"CUDA_VISIBLE_DEVICES={Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES") ?? "(not set)"}");
        foreach (var command in spec.Commands)
        {
            Console.WriteLine($"[{spec.Artifact}] isc {string.Join(' ', command.Select(Quote))}");
            var rc = await WorkerHost.RunAsync(command, cancel);
            if (rc != 0)
            {
                Console.Error.WriteLine($"[{spec.Artifact}] step {spec.Step} failed: 'isc {command[0]}' exited with {rc}");
                return rc;
            }
        }

        var outputs = spec.Outputs.Select(store.Record).ToList();
        store.Write(new Stamp
        {
            Artifact = spec.Artifact,
            Step = spec.Step,
            StepVersion = spec.StepVersion,
            Params = spec.Params,
            Inputs = inputs,
            Outputs = outputs,
            StartedUtc = started,
            FinishedUtc = DateTime.UtcNow,
            Seconds = watch.Elapsed.TotalSeconds,
            Host = Environment.MachineName,
            Log = spec.Log,
        });
        Console.WriteLine($"[{spec.Artifact}] done in {watch.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    static string Quote(string s) => s.Contains(' ') ? $"\"{s}\"" : s;
}
