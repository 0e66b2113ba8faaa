using System.Diagnostics;
using static TorchSharp.torch;

namespace Isc.Training.Inference;

/// <summary>
/// How <see cref="ExactSearch"/> works through the score matrix: how many results per query (the protocol's
/// <c>EvaluationSettings.TopK</c>), and the block sizes (memory only: the results do not depend on them).
/// </summary>
public sealed record SearchOptions(int K, int QueryBlock = SearchOptions.DefaultQueryBlock, int ReferenceBlock = SearchOptions.DefaultReferenceBlock)
{
    public const int DefaultQueryBlock = 2048;
    public const int DefaultReferenceBlock = 32768;

    public void Validate()
    {
        if (K <= 0) throw new ArgumentException($"search k must be positive, got {K}");
        if (QueryBlock <= 0 || ReferenceBlock <= 0)
            throw new ArgumentException($"search block sizes must be positive, got query block {QueryBlock}, reference block {ReferenceBlock}");
    }
}

/// <summary>
/// Results of a top-k search, row-major by query: query q's results are at [q·k', (q+1)·k') with k' = min(k, R), best
/// first (higher score, then lower reference index).
/// </summary>
public sealed record SearchResult(int[] QueryIndex, int[] ReferenceIndex, float[] Score)
{
    public int Count => Score.Length;
}

/// <summary>
/// Exact inner-product search: for every query row, the k reference rows with the highest dot product.
/// </summary>
/// <remarks>
/// The Q × R score matrix is never materialised: queries are taken qb rows at a time (<see cref="SearchOptions.QueryBlock"/>),
/// and against each query block the references rb rows at a time (<see cref="SearchOptions.ReferenceBlock"/>), each
/// reference block copied to the device as it is needed, so the matrices stay where the caller holds them (host memory for
/// a [1,000,000 × 256] float32 reference matrix, 1 GB). A block's scores give k candidates per query, merged into the
/// running top k.
/// <para>Peak working memory on the device, beyond the caller's matrices and the result (12·Q·k bytes on the host), in bytes:
/// 4·qb·rb (the float32 score block) + 4·D·(qb + rb) (the two blocks) + 9·rb (one row's tie fix)
/// + 64·qb·(k + 1) (candidates and their merge) + libtorch's top-k scratch (on the CPU about 16·rb per thread).
/// At the defaults (qb = 2048, rb = 32768), D = 256, k = 10: about 0.31 GB.</para>
/// <para>Ties are resolved deterministically: higher score first, then lower reference index, including ties at the k-th
/// place of a block (a row whose (k+1)-th best score equals its k-th is fixed on its own).</para>
/// </remarks>
public static class ExactSearch
{
    public static SearchResult TopK(Tensor queries, Tensor references, Device device, SearchOptions options,
        TextWriter? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        Descriptors.RequireMatrix(queries, "the query descriptors");
        Descriptors.RequireMatrix(references, "the reference descriptors", queries.shape[1]);
        var (q, r) = (queries.shape[0], references.shape[0]);
        if (r > int.MaxValue || q > int.MaxValue) throw new ArgumentException($"at most {int.MaxValue} queries and references, got {q} and {r}");
        var k = (int)Math.Min(options.K, r);
        var queryIndex = new int[q * k];
        var referenceIndex = new int[q * k];
        var score = new float[q * k];
        var blocks = ((q + options.QueryBlock - 1) / options.QueryBlock) * ((r + options.ReferenceBlock - 1) / options.ReferenceBlock);
        var done = 0L;
        var scored = 0.0;
        var clock = Stopwatch.StartNew();
        var lastLog = 0.0;
        for (long qs = 0; qs < q; qs += options.QueryBlock)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(options.QueryBlock, q - qs);
            var queryBlock = queries.narrow(0, qs, n).to(device);
            Tensor? bestScores = null, bestIndices = null;
            for (long rs = 0; rs < r; rs += options.ReferenceBlock)
            {
                cancel.ThrowIfCancellationRequested();
                using var inner = NewDisposeScope();
                var m = Math.Min(options.ReferenceBlock, r - rs);
                var referenceBlock = references.narrow(0, rs, m).to(device);
                var (values, indices) = BlockTopK(queryBlock.matmul(referenceBlock.t()), (int)Math.Min(k, m), qs, rs);
                indices.add_(rs);
                if (bestScores is not null)
                {
                    values = cat([bestScores, values], 1);
                    indices = cat([bestIndices!, indices], 1);
                }
                var (ordered, orderedIndices) = Order(values, indices);
                var width = Math.Min(k, ordered.shape[1]);
                bestScores = ordered.narrow(1, 0, width).MoveToOuterDisposeScope();
                bestIndices = orderedIndices.narrow(1, 0, width).MoveToOuterDisposeScope();
                done++;
                scored += (double)n * m;
                if (progress is not null && (clock.Elapsed.TotalSeconds - lastLog >= 5 || done == blocks))
                {
                    lastLog = clock.Elapsed.TotalSeconds;
                    var rate = done / Math.Max(lastLog, 1e-9);
                    progress.WriteLine($"search {done}/{blocks} blocks ({qs + n}/{q} queries started), {scored / lastLog / 1e6:F0} M scores/s, ETA {TimeSpan.FromSeconds((blocks - done) / Math.Max(rate, 1e-9)):hh\\:mm\\:ss}");
                }
            }
            var s = bestScores!.cpu().contiguous().data<float>().ToArray();
            var i = bestIndices!.to(ScalarType.Int32).cpu().contiguous().data<int>().ToArray();
            s.CopyTo(score, qs * k);
            i.CopyTo(referenceIndex, qs * k);
            for (var j = 0L; j < n * k; j++) queryIndex[qs * k + j] = (int)(qs + j / k);
        }
        return new SearchResult(queryIndex, referenceIndex, score);
    }

    /// <summary>The top <paramref name="k"/> of each row of <paramref name="scores"/>, ties at the k-th value resolved to the lower column.</summary>
    static (Tensor Values, Tensor Indices) BlockTopK(Tensor scores, int k, long qs, long rs)
    {
        // One more than k: a row whose (k+1)-th value equals its k-th has a tie across the cut, which topk would settle arbitrarily.
        var width = (int)Math.Min(k + 1L, scores.shape[1]);
        var (values, indices) = scores.topk(width, dim: 1, largest: true, sorted: true);
        // topk puts NaN above every number, so a NaN anywhere in a row of the block shows here.
        if (values.isnan().any().item<bool>())
            throw new InvalidDataException($"NaN scores: the query rows {qs}..{qs + scores.shape[0] - 1} or the reference rows {rs}..{rs + scores.shape[1] - 1} hold NaN or infinite values");
        if (width == k) return (values, indices);
        var tied = values.select(1, k - 1).eq(values.select(1, k)).nonzero().squeeze(1);
        values = values.narrow(1, 0, k);
        indices = indices.narrow(1, 0, k);
        if (tied.shape[0] == 0) return (values, indices);
        foreach (var row in tied.cpu().data<long>().ToArray())
        {
            using var scope = NewDisposeScope();
            var rowScores = scores[row];
            var threshold = values[row, k - 1];
            var above = rowScores.gt(threshold).nonzero().squeeze(1);
            var equal = rowScores.eq(threshold).nonzero().squeeze(1).narrow(0, 0, k - above.shape[0]);
            var chosen = cat([above, equal], 0);
            indices[row].copy_(chosen);
            values[row].copy_(rowScores.index_select(0, chosen));
        }
        return (values, indices);
    }

    /// <summary>Each row ordered by score descending, then reference index ascending.</summary>
    static (Tensor Scores, Tensor Indices) Order(Tensor scores, Tensor indices)
    {
        var (byIndex, permutation) = indices.sort(1);
        var scoresByIndex = scores.gather(1, permutation);
        var (ordered, order) = scoresByIndex.sort(1, descending: true, stable: true);
        return (ordered, byIndex.gather(1, order));
    }
}
