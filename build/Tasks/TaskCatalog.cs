using Isc.Build.Core;
using Isc.Build.Graph;
using Isc.Recipe;

namespace Isc.Build.Tasks;

/// <summary>Every task of a profile's build: one per artifact of the graph, the named groups, and the tools.</summary>
public static class TaskCatalog
{
    public static IReadOnlyList<BuildTask<BuildContext>> For(BuildGraph graph)
    {
        var tasks = new List<BuildTask<BuildContext>>();
        tasks.AddRange(graph.Nodes.Select(n => new ArtifactTask(n)));
        tasks.Add(new AggregateTask("All33", "all 33 trimmed models, and everything they need (the default target)", Runs.All.Select(r => r.ModelTarget)));
        tasks.Add(new AggregateTask("Datasets", "the 11 generated datasets", Datasets.All.Select(d => d.Target)));
        tasks.Add(new AggregateTask("Pretrained", "the 3 pretrained backbones", Backbones.All.Select(b => b.Target)));
        tasks.Add(new AggregateTask("Trainings", "the 33 trainings (final checkpoints)", Runs.All.Select(r => r.TrainTarget)));
        foreach (var d in Datasets.All)
            tasks.Add(new AggregateTask($"Models:{d.Name}", $"the trimmed models trained on {d.Name}",
                Runs.All.Where(r => r.Dataset.Name == d.Name).Select(r => r.ModelTarget), listed: false));
        if (graph.Find(GraphBuilder.ComparisonId) is not null)
        {
            tasks.Add(new AggregateTask("Evaluations", "the µAP of the 33 models and of the 3 backbones alone on the evaluation set",
                [.. Runs.All.Select(r => ArtifactKinds.EvalPrefix + r.Name), .. Backbones.All.Select(b => ArtifactKinds.EvalPrefix + b.Target)]));
        }
        tasks.Add(new PlanTask());
        tasks.Add(new VerifyTask());
        tasks.Add(new ReportTask());
        tasks.Add(new CleanTask());
        tasks.Add(new TestTask());
        return tasks;
    }
}
