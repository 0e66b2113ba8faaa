using System.Diagnostics;
using Isc.Training.Logging;
using Isc.Training.Model;
using Isc.Torch.Runtime;
using Isc.Training.Util;
using TorchSharp;
using Isc.Training.Data;
using Isc.Training.Solver;
using static TorchSharp.torch;

namespace Isc.Training.Engine;

/// <summary>
/// The trainer (docs/recipe.md, Trainer): identity-sampled batches, 10×smoothed CE + 1×soft triplet, Adam with one
/// group per tensor, per-epoch schedule, a checkpoint after every epoch, resume from the newest readable one.
/// </summary>
public sealed class Trainer(TrainerOptions o, TextWriter console)
{
    /// <summary>Runs (or resumes) the training; returns the final checkpoint's path.</summary>
    public string Run(CancellationToken cancel = default)
    {
        TorchRuntime.EnsureLoadable();
        if (o.MetricsEvery < 1) throw new InvalidOperationException($"MetricsEvery {o.MetricsEvery}: at least 1");
        var t = o.Training;
        var device = TorchRuntime.Device(o.Device);
        var threads = device.type == DeviceType.CPU ? TorchRuntime.ConfigureCpuThreads(o.TorchThreads, o.Model.StemWidth) : 0;
        var set = TrainingSet.Open(o.Dataset);
        if (set.Classes % o.Model.ClassifierPieces != 0)
            throw new InvalidDataException($"{set.Folder}: {set.Classes} identities is not divisible by {o.Model.ClassifierPieces} (the classifier pieces); drop up to {set.Classes % o.Model.ClassifierPieces} ids");
        Directory.CreateDirectory(o.OutDir);
        var final = Checkpoints.PathFor(o.OutDir, t.Epochs - 1);

        RunRecord.Check(o.OutDir, RunRecord.Of(o, set), hasCheckpoints: Checkpoints.Epochs(o.OutDir).Count > 0);
        var notes = new List<string>();
        var resume = Checkpoints.LoadNewestValid(o.OutDir, notes.Add);
        var startEpoch = resume is { } r0 ? r0.Epoch + 1 : 0;
        using var log = new RunLog(o.OutDir, startEpoch, console);
        log.Line(TorchRuntime.EnsureLoadable());
        foreach (var n in notes) log.Line(n);

        random.manual_seed(t.Seed);
        using var model = new D2lvNet(o.Backbone, o.Model, set.Classes) { Shards = Math.Max(1, t.BatchNormShards) };
        if (resume is { } r)
        {
            StateDicts.Load(model, Checkpoints.StateDict(r.Root), strict: true);
            // The original's checkpoints have no isc_rng: torch's generator then goes on from the seed.
            if (r.Root.GetValueOrDefault("isc_rng") is Dictionary<object, object?> rngState && rngState["torch_rng_state"] is Tensor rng) random.set_rng_state(rng);
            log.Line($"resuming from {Checkpoints.PathFor(o.OutDir, r.Epoch)} (epoch {r.Epoch + 1} of {t.Epochs} done)");
        }
        else if (o.Pretrained is not null)
        {
            var report = PretrainedLoader.Load(model, o.Pretrained);
            log.Line($"pretrained {o.Pretrained}: {report.Summary()}");
        }
        else log.Line("no pretrained backbone given: starting from random initialisation");

        if (startEpoch >= t.Epochs)
        {
            log.Line($"already finished: {final}");
            return final;
        }
        model.to(device);
        var computeType = ComputePrecision.Parse(t.Precision);
        model.SetComputeType(computeType);
        if (t.ChannelsLast) MemoryLayout.ParametersToChannelsLast(model);
        var scaler = computeType == ScalarType.Float16 ? new LossScaler() : null;
        if (scaler is not null && resume?.Root.GetValueOrDefault("scaler") is Dictionary<object, object?> scalerState) scaler.LoadStateDict(scalerState);
        using var optimizer = new Adam(model.parameters().Where(p => p.requires_grad), t.LearningRate, t.Beta1, t.Beta2, t.AdamEps, t.WeightDecay);
        if (resume is { } r2) optimizer.LoadStateDict((Dictionary<object, object?>)r2.Root["optimizer"]!);
        foreach (var d in resume?.Root.Values.OfType<IDisposable>() ?? []) d.Dispose();

        var sampler = new IdentitySampler([.. set.Images.Select(i => i.Count)], t.ImagesPerIdInBatch, t.IdsPerBatch, t.IterationsPerEpoch, t.Seed);
        var pipeline = ImagePipeline.ForTraining(t);
        var lastEpoch = Math.Min(t.Epochs - 1, o.StopAfterEpoch ?? int.MaxValue);
        var first = (long)startEpoch * t.IterationsPerEpoch;
        var end = (long)(lastEpoch + 1) * t.IterationsPerEpoch;
        var workers = o.Workers > 0 ? o.Workers : Environment.ProcessorCount;
        log.Line($"training {o.Backbone.Name} width {o.Model.StemWidth} on {set.Folder}: {set.Classes} ids, {set.ImageCount} images, " +
                 $"batch {sampler.BatchSize}, {t.IterationsPerEpoch} it/epoch, epochs {startEpoch}..{t.Epochs - 1}, device {o.Device}{(threads > 0 ? $" ({threads} torch threads)" : "")}, {workers} decode threads, BN shards {model.Shards}{(t.MicroBatch ? " run as micro-batches" : "")}, " +
                 $"precision {t.Precision}{(t.ChannelsLast ? ", channels-last" : "")}");
        using var loader = new BatchLoader(set, sampler, pipeline, t.Seed, first, end, workers, o.Prefetch);
        using var batches = new DeviceBatches(device, sampler.BatchSize, t.InputSize);
        log.Line($"metrics read back from the device every {o.MetricsEvery} step(s) and at each epoch's end" +
                 (batches.Staged ? $"; batches copied to the device from {batches.SlotCount} pinned host slots, non-blocking" : ""));
        // Written to the log before every checkpoint (at each epoch's end), so a checkpoint's epochs always have all
        // their rows in metrics.csv; rows still here when a run is killed belong to an epoch the resume redoes.
        using var pending = new PendingMetrics();

        var clock = Stopwatch.StartNew();
        var lastLog = -o.LogEverySeconds;
        long done = 0, total = end - first;
        for (var epoch = startEpoch; epoch <= lastEpoch; epoch++)
        {
            var lr = t.LearningRate * LearningRateSchedule.Factor(t, epoch);
            optimizer.SetLr(lr);
            model.train();
            for (var it = 0; it < t.IterationsPerEpoch; it++)
            {
                cancel.ThrowIfCancellationRequested();
                var batch = loader.Next(cancel);
                var lastOfEpoch = it == t.IterationsPerEpoch - 1;
                pending.Add(epoch, it, batch.Index, lr, Step(model, optimizer, scaler, batches, batch));
                if (pending.Count >= o.MetricsEvery || lastOfEpoch) pending.WriteTo(log);
                done++;
                var secs = clock.Elapsed.TotalSeconds;
                if (secs - lastLog >= o.LogEverySeconds || lastOfEpoch)
                {
                    lastLog = secs;
                    var rate = done / Math.Max(secs, 1e-9);
                    var eta = TimeSpan.FromSeconds((total - done) / Math.Max(rate, 1e-9));
                    log.Line($"epoch {epoch + 1}/{t.Epochs} iter {it + 1}/{t.IterationsPerEpoch} {Progress(pending.Latest, epoch, it)} " +
                             $"lr {lr:G3} {rate:F2} it/s ({rate * sampler.BatchSize:F0} images/s) ETA {(int)eta.TotalHours:D2}:{eta:mm\\:ss}");
                }
            }
            log.Flush();
            optimizer.SetLr(t.LearningRate * LearningRateSchedule.Factor(t, epoch + 1));
            var ckpt = Checkpoints.Build(model, optimizer, t, epoch, (long)(epoch + 1) * t.IterationsPerEpoch);
            if (scaler is not null)
            {
                ckpt["scaler"] = scaler.StateDict();
                if (scaler.SkippedSteps > 0) log.Line($"fp16 loss scale {scaler.Scale:G4}; {scaler.SkippedSteps} step(s) skipped for inf/NaN gradients so far");
            }
            Checkpoints.Save(o.OutDir, epoch, ckpt);
            Checkpoints.Retain(o.OutDir, t.KeepCheckpoints, t.Epochs - 1);
            log.Line($"saved {Checkpoints.PathFor(o.OutDir, epoch)}");
        }
        return final;
    }

    /// <summary>One step; its logged numbers stay on the device (the caller takes them over).</summary>
    TrainingStep.Result Step(D2lvNet model, Adam optimizer, LossScaler? scaler, DeviceBatches batches, Batch b)
    {
        var t = o.Training;
        using var scope = NewDisposeScope();
        var (x, y) = batches.Put(b);
        model.Base.Waveblock.Random = DetRandom.For(t.Seed, 2, b.Index);
        var r = TrainingStep.Run(model, optimizer, scaler, x, y, t);
        r.Metrics.MoveToOuterDisposeScope();
        return r;
    }

    /// <summary>The newest numbers read back, naming their iteration when they are older than the current one.</summary>
    static string Progress(StepMetrics? m, int epoch, int it)
    {
        if (m is null) return "(no metrics read back yet)";
        var when = m.Epoch != epoch ? $" (at epoch {m.Epoch + 1} iter {m.Iteration + 1})" : m.Iteration != it ? $" (at iter {m.Iteration + 1})" : "";
        return $"loss {m.Loss:F4} (ce {m.CrossEntropy:F4} triplet {m.Triplet:F4}) prec {m.Precision:F3}{when}";
    }
}
