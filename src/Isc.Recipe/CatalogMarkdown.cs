using System.Globalization;
using System.Text;
using Isc.Recipe.Chains;

namespace Isc.Recipe;

/// <summary>The catalog as the Markdown tables of the README and docs/recipe.md (tests keep both in step with it).</summary>
public static class CatalogMarkdown
{
    public static string Datasets()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| dataset | family | tone | differs from the base chain | runs |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var d in Recipe.Datasets.All)
            sb.AppendLine($"| `{d.Name}` | {d.Family} | {d.Tone} | {d.Variant} | {string.Join(", ", Runs.All.Where(r => r.Dataset == d).Select(r => $"`{r.Name}`"))} |");
        return sb.ToString();
    }

    public static string Backbones()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| backbone | run suffix | architecture | pretrained file | published at |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var b in Recipe.Backbones.All)
            sb.AppendLine($"| `{b.Name}` | `{b.RunSuffix}` | {b.Description} | `{b.PretrainedFileName}` | {string.Join(", ", b.Published.Sources())} |");
        return sb.ToString();
    }

    public static string Profiles()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| profile | ids × images | image size | network | training |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var p in Recipe.Profiles.All)
            sb.AppendLine($"| `{p.Name}` | {p.Source.Identities:N0} × {p.Generation.ImagesPerId} | {p.Generation.OutputSize} px | stem width {p.Model.StemWidth}, feature {p.Model.FeatureDim}, projector {p.Model.ProjectorHidden}→{p.Model.ProjectorOut} | {p.Training.Epochs} epochs × {p.Training.IterationsPerEpoch:N0} iterations, batch {p.Training.BatchSize} |");
        return sb.ToString();
    }

    public static string Outputs()
    {
        var r = Runs.All[0];
        var sb = new StringBuilder();
        sb.AppendLine("| artifact | path under `artifacts/<profile>/` |");
        sb.AppendLine("|---|---|");
        sb.AppendLine($"| `Dataset:<name>` | `datasets/<name>/<name>/{{id}}_{{k}}.jpg`, `datasets/<name>/manifest.json`, `datasets/<name>/contact_sheet.png` |");
        sb.AppendLine($"| `Pretrained:<backbone>` | `pretrained/<file>` |");
        sb.AppendLine($"| `Train:<run>` | `logs/<family>_<CC or BW>/<50, 152 or ibn>/checkpoint_<epoch>.pth.tar` (e.g. `{r.LogDirectory}/`) |");
        sb.AppendLine($"| `Model:<run>` | `V5_<family>_<CC or BW>/<run, lower case>.pth.tar` (e.g. `{r.TrimmedModelPath}`) |");
        return sb.ToString();
    }

    public static IReadOnlyDictionary<string, string> Sections => new Dictionary<string, string>
    {
        ["datasets"] = Datasets(),
        ["backbones"] = Backbones(),
        ["profiles"] = Profiles(),
        ["outputs"] = Outputs(),
    };

    /// <summary>The base ("big") chain, one row per step, as <see cref="ChainStep.Describe"/> states it.</summary>
    public static string BaseChain() => ChainTable(DatasetChains.Base);

    /// <summary>The evaluation set's query chain (docs/imaging.md), in the same form.</summary>
    public static string QueryChain() => ChainTable(EvalChains.Query);

    static string ChainTable(Chain chain)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| # | step id | kind | p | parameters |");
        sb.AppendLine("|---|---|---|---|---|");
        var steps = chain.Steps;
        for (var i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            var rest = s.Describe()[$"{s.Id} [{s.Kind}] p=".Length..];
            var space = rest.IndexOf(' ');
            var (p, parameters) = space < 0 ? (rest, "") : (rest[..space], rest[(space + 1)..]);
            sb.AppendLine($"| {i + 1} | `{s.Id}` | {s.Kind} | {p} | {(parameters.Length == 0 ? "" : $"`{parameters}`")} |");
        }
        return sb.ToString();
    }

    /// <summary>Every number of the two profiles' settings records, side by side.</summary>
    public static string Settings()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"| setting | {string.Join(" | ", Recipe.Profiles.All.Select(p => $"`{p.Name}`"))} |");
        sb.AppendLine($"|---|{string.Concat(Recipe.Profiles.All.Select(_ => "---|"))}");
        (Type Type, Func<Profile, object?> Of)[] records =
        [
            (typeof(SourceSettings), p => p.Source), (typeof(GenerationSettings), p => p.Generation),
            (typeof(ModelSettings), p => p.Model), (typeof(TrainingSettings), p => p.Training),
            (typeof(EvaluationSettings), p => p.Evaluation), (typeof(EvalSetSettings), p => p.EvalSet),
        ];
        foreach (var (type, record) in records)
        {
            var names = type.GetConstructors().MaxBy(c => c.GetParameters().Length)!.GetParameters().Select(p => p.Name!);
            foreach (var name in names)
            {
                var property = type.GetProperty(name)!;
                // Seeds are names, not quantities: no thousands separator. A profile without the record shows a dash.
                var values = Recipe.Profiles.All.Select(p => record(p) is not { } r ? "—"
                    : property.GetValue(r) is int seed && name.EndsWith("Seed", StringComparison.Ordinal)
                    ? seed.ToString(CultureInfo.InvariantCulture) : Format(property.GetValue(r)));
                sb.AppendLine($"| `{type.Name}.{name}` | {string.Join(" | ", values)} |");
            }
        }
        return sb.ToString();
    }

    static string Format(object? v) => v switch
    {
        null => "",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString("N0", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    /// <summary>The tables docs/recipe.md carries between its catalog markers.</summary>
    public static IReadOnlyDictionary<string, string> RecipeDocSections => new Dictionary<string, string>
    {
        ["datasets"] = Datasets(),
        ["base-chain"] = BaseChain(),
        ["settings"] = Settings(),
    };

    /// <summary>The tables docs/imaging.md carries between its catalog markers.</summary>
    public static IReadOnlyDictionary<string, string> ImagingDocSections => new Dictionary<string, string>
    {
        ["query-chain"] = QueryChain(),
    };
}
