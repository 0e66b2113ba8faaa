using Isc.Imaging.Randomness;
using Isc.Recipe;
using Isc.Recipe.Layouts;

namespace Isc.Imaging.Generation;

/// <summary>
/// One query of an evaluation set: a draw of the query chain from reference <see cref="Source"/> (a copy) or from
/// distractor source <see cref="Source"/> (no reference; <see cref="ReferenceId"/> is null).
/// </summary>
public sealed record EvalQuery(int Index, bool IsCopy, int Source)
{
    public string Id => EvalSetFolder.QueryId(Index);
    public string? ReferenceId => IsCopy ? EvalSetFolder.ReferenceId(Source) : null;
}

/// <summary>
/// Which references are copied and in which order copies and distractors become Q00000, Q00001, ...: a pure function
/// of the settings, so the ground truth is known before any image is drawn. Copies are of distinct references, and
/// copies and distractors are interleaved at random, as in the challenge's query set.
/// </summary>
public static class EvalSetPlan
{
    public static IReadOnlyList<EvalQuery> Build(EvalSetSettings s)
    {
        var random = ImageRandom.For("eval-set-plan", 0, 0, s.Seed);
        var references = Enumerable.Range(0, s.References).ToArray();
        Shuffle(references, random);
        var sources = references[..s.CopyQueries].Select(r => (IsCopy: true, Source: r))
            .Concat(Enumerable.Range(0, s.DistractorQueries).Select(d => (IsCopy: false, Source: d))).ToArray();
        Shuffle(sources, random);
        return [.. sources.Select((q, i) => new EvalQuery(i, q.IsCopy, q.Source))];
    }

    /// <summary>The ground truth in the challenge's form: <c>query_id,reference_id</c>, a header line, one line per query in id order.</summary>
    public static string GroundTruthCsv(IReadOnlyList<EvalQuery> plan)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(EvaluationFolder.GroundTruthHeader).Append('\n');
        foreach (var q in plan) sb.Append(q.Id).Append(',').Append(q.ReferenceId).Append('\n');
        return sb.ToString();
    }

    static void Shuffle<T>(T[] items, ImageRandom random)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = random.IntInclusive(0, i);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
