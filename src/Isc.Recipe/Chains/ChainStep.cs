using System.Globalization;

namespace Isc.Recipe.Chains;

/// <summary>
/// One step of an augmentation chain, as data: an id unique within its chain (variants edit chains by id),
/// the probability it is applied with, and its parameter ranges. Implementations live in Isc.Imaging.
/// </summary>
public abstract record ChainStep(string Id, double P)
{
    /// <summary>What the step does, e.g. "rotation"; several ids may share a kind.</summary>
    public abstract string Kind { get; }

    /// <summary>The parameters in a fixed order, formatted culture-invariantly.</summary>
    protected abstract IEnumerable<(string Name, object Value)> Parameters();

    /// <summary>One line: id, kind, probability, every parameter. Stable: it goes into build stamps.</summary>
    public string Describe()
    {
        var parts = Parameters().Select(p => $"{p.Name}={Format(p.Value)}");
        var text = $"{Id} [{Kind}] p={UniformRange.Num(P)}";
        var rest = string.Join(" ", parts);
        return rest.Length == 0 ? text : text + " " + rest;
    }

    static string Format(object v) => v switch
    {
        double d => UniformRange.Num(d),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };
}
