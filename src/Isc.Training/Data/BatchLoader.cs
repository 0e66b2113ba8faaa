using System.Collections.Concurrent;
using Isc.Training.Util;

namespace Isc.Training.Data;

/// <summary>One prepared batch: CHW bytes for N images (normalised on the device) and their labels.</summary>
public sealed record Batch(long Index, byte[] Pixels, long[] Labels, int Count);

/// <summary>
/// Prepares batches ahead of the trainer on worker threads, at most <c>prefetch</c> batches waiting (bounded memory).
/// Each image's random draws are keyed by (seed, batch, slot), so the content does not depend on thread timing.
/// </summary>
public sealed class BatchLoader : IDisposable
{
    readonly TrainingSet set;
    readonly IdentitySampler sampler;
    readonly ImagePipeline pipeline;
    readonly long seed;
    readonly int workers;
    readonly BlockingCollection<Batch> queue;
    readonly CancellationTokenSource stop = new();
    readonly Task producer;
    Exception? failure;

    public BatchLoader(TrainingSet set, IdentitySampler sampler, ImagePipeline pipeline, long seed, long first, long end, int workers, int prefetch)
    {
        (this.set, this.sampler, this.pipeline, this.seed, this.workers) = (set, sampler, pipeline, seed, Math.Max(1, workers));
        queue = new BlockingCollection<Batch>(Math.Max(1, prefetch));
        producer = Task.Run(() =>
        {
            try
            {
                for (var b = first; b < end && !stop.IsCancellationRequested; b++)
                    queue.Add(Make(b), stop.Token);
            }
            catch (OperationCanceledException) { }
            catch (Exception e) { failure = e; }
            finally { queue.CompleteAdding(); }
        });
    }

    public Batch Make(long index)
    {
        var items = sampler.Batch(index);
        var per = pipeline.BytesPerImage;
        var pixels = new byte[items.Length * per];
        var labels = new long[items.Length];
        Parallel.For(0, items.Length, new ParallelOptions { MaxDegreeOfParallelism = workers }, i =>
        {
            var (label, image) = items[i];
            labels[i] = label;
            var rng = DetRandom.For(seed, 3, index, i);
            pipeline.LoadBytes(set.Images[label][image], rng, pixels.AsSpan(i * per, per));
        });
        return new Batch(index, pixels, labels, items.Length);
    }

    /// <summary>The next batch in order; rethrows a worker's failure (e.g. an unreadable JPEG).</summary>
    public Batch Next(CancellationToken cancel)
    {
        try { return queue.Take(cancel); }
        catch (InvalidOperationException) when (queue.IsCompleted)
        {
            throw failure is null ? new InvalidOperationException("no more batches") : new InvalidDataException(failure.Message, failure);
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        try { producer.Wait(); } catch (AggregateException) { }
        queue.Dispose();
        stop.Dispose();
    }
}
