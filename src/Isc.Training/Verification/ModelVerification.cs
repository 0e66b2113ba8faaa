using Isc.Artifacts;
using Isc.Recipe;
using Isc.Recipe.Layouts;
using Isc.Training.Model;

namespace Isc.Training.Verification;

/// <summary>
/// Verify's content check of the model files: each training's newest checkpoint and each trimmed model against the
/// recipe's state_dict layout (<see cref="LayoutCheck"/>: keys, order, shapes, dtypes, finite weights), and, given the
/// PyTorch reference, each loaded by real PyTorch with strict=True (<see cref="PyTorchStrictLoad"/>).
/// </summary>
public static class ModelVerification
{
    /// <param name="identities">By dataset name: its identity count (the classifier's classes), as its manifest records it.</param>
    /// <param name="reference">tools/python/check_many.py, or null to skip the PyTorch check.</param>
    public static async Task<List<VerifyRow>> VerifyAllAsync(string artifactsRoot, Profile profile, IReadOnlyDictionary<string, int> identities,
        string? reference, string python, CancellationToken cancel)
    {
        var rows = new List<VerifyRow>();
        var jobs = new List<PyTorchStrictLoad.Job>();
        foreach (var run in Runs.All)
        {
            cancel.ThrowIfCancellationRequested();
            var classes = identities.GetValueOrDefault(run.Dataset.Name);
            var final = RunFolder.Checkpoints(Path.Combine(artifactsRoot, run.LogDirectory)).LastOrDefault().Path;
            if (final is not null) rows.Add(Check(run.TrainTarget, final, run.Backbone, profile.Model, classes, trimmed: false, jobs));
            var trimmed = Path.Combine(artifactsRoot, run.TrimmedModelPath);
            if (File.Exists(trimmed)) rows.Add(Check(run.ModelTarget, trimmed, run.Backbone, profile.Model, classes, trimmed: true, jobs));
        }
        if (reference is not null && jobs.Count > 0) rows = await PyTorchStrictLoad.MergeAsync(rows, jobs, reference, python, cancel);
        return rows;
    }

    static VerifyRow Check(string artifact, string file, Backbone backbone, ModelSettings m, int classes, bool trimmed, List<PyTorchStrictLoad.Job> jobs)
    {
        var problems = LayoutCheck.Check(file, backbone, m, classes, trimmed);
        jobs.Add(new(file, backbone.Name, m.StemWidth, classes, m.ProjectorHidden, m.ProjectorOut, trimmed));
        var what = trimmed ? "trimmed model" : Path.GetFileName(file);
        return problems.Count == 0
            ? new VerifyRow(artifact, $"{what}: keys, order, shapes and dtypes as the recipe prescribes", true)
            : new VerifyRow(artifact, $"{what}: {string.Join("; ", problems.Take(4))}", false);
    }
}
