using System.Text;

namespace Isc.Recipe;

/// <summary>The catalog as the Markdown tables of the README (a test keeps the README in step with it).</summary>
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
}
