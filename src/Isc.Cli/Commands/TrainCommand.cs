using Isc.Recipe;
using Isc.Training.Engine;

namespace Isc.Cli.Commands;

public sealed class TrainCommand : IWorkerCommand
{
    public string Name => "train";
    public string Summary => "train (or resume) one D2LV run; checkpoint_{e}.pth.tar after every epoch";
    public string Usage => """
        isc train (--profile <paper|demo> [--set key=value ...] | --settings <step spec>) --run <run, e.g. baseline_CC_50>
                  --dataset <folder of {id}_{k}.jpg, or its parent> --pretrained <backbone file> --out <run log folder>
                  [--device cpu|cuda|cuda:N] [--workers N] [--threads N] [--log-every SECONDS]
                  [--metrics-every STEPS]
          Writes checkpoint_{e}.pth.tar (torch.save dict: state_dict, epoch, optimizer, lr_scheduler, isc_rng) after every
          epoch, keeping the newest KeepCheckpoints and the final one; log.txt, metrics.csv and TensorBoard events.
          Resumes from the newest readable checkpoint in --out. Exit 0 once checkpoint_{Epochs-1}.pth.tar exists.
          --set keys: properties of TrainingSettings or ModelSettings (e.g. --set Epochs=2 --set BatchNormShards=1;
          speed options: --set Precision=bf16|fp16 --set ChannelsLast=true; less GPU memory: --set MicroBatch=true; see
          docs/training.md); a key both have goes to
          TrainingSettings. --settings: the resolved settings the build wrote for the run (<artifacts>/.stamps/Train@<run>.spec.json).
          run.json in --out records the model and training settings the run was started with.
          --workers: image-decoding threads (default: cores); --threads: libtorch CPU threads (default: automatic).
          --metrics-every: read the logged numbers back from the device every STEPS steps (default 50; one synchronisation
          each time, and at every epoch's end); metrics.csv gets one row per step whatever the value.
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var settings = WorkerSettings.Read(args, [SettingsRecord.Training, SettingsRecord.Model]);
        var run = Runs.Get(args.Required("run"));
        var dataset = args.Required("dataset");
        var pretrained = args.Required("pretrained");
        var outDir = args.Required("out");
        var device = args.Optional("device") ?? "cpu";
        var workers = args.Int("workers", 0);
        var threads = args.Int("threads", 0);
        var logEvery = args.Double("log-every", 5);
        var metricsEvery = args.Int("metrics-every", 50);
        args.RejectUnknown();
        if (metricsEvery < 1) throw new UsageException($"--metrics-every {metricsEvery}: at least 1");
        if (!File.Exists(pretrained)) throw new UsageException($"--pretrained {pretrained}: no such file (run the Pretrained target or synth-pretrained first)");
        var options = new TrainerOptions(run.Backbone, settings.Model, settings.Training, dataset, pretrained, outDir, device, workers,
            LogEverySeconds: logEvery, TorchThreads: threads, MetricsEvery: metricsEvery);
        var final = new Trainer(options, Console.Out).Run(cancel);
        if (!File.Exists(final)) { Console.Error.WriteLine($"isc train: training stopped before {final} was written"); return Task.FromResult(1); }
        Console.WriteLine($"done: {final}");
        return Task.FromResult(0);
    }
}
