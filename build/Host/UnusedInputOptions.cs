using Isc.Build.Core;
using Isc.Build.Graph;
using Isc.Recipe;

namespace Isc.Build.Host;

/// <summary>
/// --file:ARTIFACT, --url:ARTIFACT and --datasets=download only shape the graph where an artifact is downloaded; anywhere
/// else (the demo profile draws its own images, a generated dataset, a training) they would change nothing. Finds those,
/// from the graph as built, so a user learns the option was not used instead of believing it was.
/// </summary>
public static class UnusedInputOptions
{
    public sealed record Problem(string Message, bool FromCommandLine);

    public static List<Problem> Find(BuildSettings settings, BuildOptions options, BuildGraph graph)
    {
        var problems = new List<Problem>();
        var profile = settings.Profile.Name;
        foreach (var (artifact, _) in settings.Files)
        {
            if (graph.Find("File:" + artifact) is not null) continue;
            var option = options.Files.ContainsKey(artifact) ? $"--file:{artifact}" : $"inputs.files.{artifact} (in the configuration)";
            problems.Add(new($"{option} is not used: {WhyNotDownloaded(artifact, graph, settings, "--file:")}", options.Files.ContainsKey(artifact)));
        }
        foreach (var (artifact, url) in settings.Urls)
        {
            var node = graph.Find(artifact);
            if (node is not null && node.Commands.Any(c => c.Count > 1 && c[0] == "download" && c[1] == url)) continue;
            var option = options.Urls.ContainsKey(artifact) ? $"--url:{artifact}" : $"urls.{artifact} (in the configuration)";
            var why = node is not null && settings.Files.ContainsKey(artifact) && graph.Find("File:" + artifact) is not null
                ? $"a file is given for {node.Id} too (--file:{node.Id}), and the file is used instead of downloading"
                : WhyNotDownloaded(artifact, graph, settings, "--url:");
            problems.Add(new($"{option} is not used: {why}", options.Urls.ContainsKey(artifact)));
        }
        if (settings.DownloadDatasets && !graph.Nodes.Any(n => n.Step == "download-dataset"))
            problems.Add(new($"{(options.DatasetsMode is not null ? "--datasets=download" : "\"datasets\": \"download\" (in the configuration)")} is not used: " +
                $"the {profile} profile synthesises its training images and generates its datasets from them; the published dataset zips " +
                "belong to the paper profile (--profile=paper --datasets=download)", options.DatasetsMode is not null));
        return problems;
    }

    static string WhyNotDownloaded(string artifact, BuildGraph graph, BuildSettings settings, string option)
    {
        var node = graph.Find(artifact);
        var profile = settings.Profile.Name;
        const string Applies = "--file: and --url: apply to Pretrained:<backbone>, Overlays and, with --datasets=download, Dataset:<name>";
        if (node is null)
            return $"there is no artifact '{artifact}'. {TargetResolver.Suggest(artifact, graph.Nodes.Where(n => !n.Id.StartsWith("File:")).Select(n => n.Id))}";
        if (node.Step == "synth-images")
            return $"the {profile} profile synthesises {node.Id} (its images are drawn by the build, nothing is downloaded); " +
                   $"{option}{node.Id} applies to the paper profile";
        if (node.Kind == ArtifactKind.Pretrained)
            return $"the {profile} profile synthesises its pretrained backbones; a file of your own is imported with --file:{node.Id}=PATH, " +
                   "a mirror (--url:) applies to the paper profile";
        if (node.Step == "generate")
            return settings.Profile.Source.Synthetic
                ? $"the {profile} profile synthesises its training images and generates {node.Id} from them; " +
                  $"the published dataset zips belong to the paper profile (--profile=paper --datasets=download)"
                : $"{node.Id} is generated here; add --datasets=download to use the published zip";
        if (node.IsExternal)
            return $"{node.Id} is an input you give ({node.External!.Name}: {node.External.Setting}), so nothing is downloaded for it";
        return $"the build cannot take {node.Id} from a file or a mirror; {Applies}";
    }
}
