using System.Text;

namespace Isc.Recipe.Chains;

/// <summary>
/// An augmentation chain as data: ordered steps with unique ids, and whether the un-augmented k = 0 image is
/// grayscaled too. Variants are edits of the base chain (<see cref="Replace"/>, <see cref="InsertAfter"/>, ...).
/// </summary>
public sealed record Chain
{
    public IReadOnlyList<ChainStep> Steps { get; }
    public bool GrayscaleK0 { get; }

    public Chain(IEnumerable<ChainStep> steps, bool grayscaleK0 = false)
    {
        Steps = [.. steps];
        GrayscaleK0 = grayscaleK0;
        var dup = Steps.GroupBy(s => s.Id).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new RecipeException($"chain has two steps with id '{dup.Key}'");
    }

    public ChainStep this[string id] => Steps[IndexOf(id)];

    public bool Contains(string id) => Steps.Any(s => s.Id == id);

    /// <summary>Replaces the step <paramref name="id"/>; the replacement keeps its own id (normally the same).</summary>
    public Chain Replace(string id, ChainStep step) => Edit(l => l[IndexOf(id)] = step);

    public Chain InsertAfter(string id, ChainStep step) => Edit(l => l.Insert(IndexOf(id) + 1, step));

    public Chain InsertBefore(string id, ChainStep step) => Edit(l => l.Insert(IndexOf(id), step));

    public Chain Remove(string id) => Edit(l => l.RemoveAt(IndexOf(id)));

    /// <summary>The black-and-white member of a family: <c>k = 0</c> is grayscaled as well.</summary>
    public Chain WithGrayscaleK0(bool on = true) => new(Steps, on);

    /// <summary>One line per step, numbered, with every parameter; culture-invariant and stable (build stamps hash it).</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        sb.Append(GrayscaleK0 ? "k=0: source grayscaled, then resized to output (bicubic)" : "k=0: source resized to output (bicubic)").Append('\n');
        for (var i = 0; i < Steps.Count; i++)
            sb.Append((i + 1).ToString("00", System.Globalization.CultureInfo.InvariantCulture)).Append(' ')
              .Append(Steps[i].Describe()).Append('\n');
        return sb.ToString();
    }

    int IndexOf(string id)
    {
        for (var i = 0; i < Steps.Count; i++) if (Steps[i].Id == id) return i;
        throw new RecipeException($"chain has no step '{id}'; steps: {string.Join(", ", Steps.Select(s => s.Id))}");
    }

    Chain Edit(Action<List<ChainStep>> edit)
    {
        var list = Steps.ToList();
        edit(list);
        return new Chain(list, GrayscaleK0);
    }
}
