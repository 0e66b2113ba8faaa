using Isc.Recipe;
using Isc.Torch.Runtime;
using Isc.Torch.Serialization;
using Isc.Training.Data;
using Isc.Training.Engine;
using Isc.Training.Model;
using Isc.Training.Solver;
using Isc.Training.Tests.Support;
using TorchSharp;

namespace Isc.Training.Tests.Engine;

/// <summary>
/// Checkpoints cross between the original's training code and the harness with every identity on the same classifier
/// row. tests/python/original_checkpoint.py labels a folder as the original does and writes or reads a checkpoint in
/// the original's layout; its classifier row of identity X holds X/100. Ids 0...15 label differently in name order
/// (0, 10, ..., 15, 1, ..., 9) and in numeric order, so a harness numbering them otherwise fails here.
/// </summary>
[TestFixture]
public class OriginalCheckpointTests
{
    string root = "";
    string data = "";
    static readonly ModelSettings Model = Profiles.Demo.Model with { StemWidth = 4, ProjectorHidden = 64, ProjectorOut = 64 };

    [OneTimeSetUp]
    public void Setup()
    {
        PyTorch.RequireTorch();
        TorchRuntime.EnsureLoadable();
        root = Directory.CreateTempSubdirectory("isc-original-ckpt-").FullName;
        data = TinyDataset.Create(Path.Combine(root, "data"), ids: 16, perId: 4, size: 32, idStride: 1);
    }

    [OneTimeTearDown]
    public void Clean() { if (Directory.Exists(root)) Directory.Delete(root, true); }

    TrainerOptions Options(string outDir, int? stopAfter = null) => new(
        Backbones.Resnet50, Model,
        Profiles.Demo.Training with { Epochs = 2, IterationsPerEpoch = 3, IdsPerBatch = 4, InputSize = 32, Pad = 2, WarmupEpochs = 1, ConstantUntilEpoch = 2, LearningRate = 3.5e-4 },
        data, null, outDir, Workers: 2, LogEverySeconds: 100, StopAfterEpoch: stopAfter);

    /// <summary>Row L of the four classifier pieces stacked: the weights of label L's logit.</summary>
    static torch.Tensor Classifier(IReadOnlyDictionary<string, torch.Tensor> sd) =>
        torch.cat([.. Enumerable.Range(0, 4).Select(i => sd[$"classifier_{i}.weight"])], 0);

    [Test]
    public void A_checkpoint_of_the_original_resumes_with_every_identity_on_its_own_row()
    {
        var run = Path.Combine(root, "from-original");
        new Trainer(Options(run, stopAfter: 0), TextWriter.Null).Run(); // the run record a resumed run needs
        PyTorch.Run("original-checkpoint", "--folder", data, "--out", Checkpoints.PathFor(run, 0),
            "--width", Model.StemWidth.ToString(), "--hidden", Model.ProjectorHidden.ToString(), "--proj-out", Model.ProjectorOut.ToString());

        new Trainer(Options(run), TextWriter.Null).Run();

        Assert.That(File.ReadAllText(Path.Combine(run, "log.txt")), Does.Contain("resuming from " + Checkpoints.PathFor(run, 0)));
        var set = TrainingSet.Open(data);
        using var rows = Classifier(Checkpoints.StateDict((Dictionary<object, object?>)TorchZip.Load(Checkpoints.PathFor(run, 1))!));
        // An epoch of 3 Adam steps at 3.5e-4 moves a row by about 1e-3; the rows of two identities are 0.01 apart.
        for (var label = 0; label < set.Classes; label++)
            Assert.That(rows[label].mean().item<float>(), Is.EqualTo(set.Ids[label] / 100.0).Within(0.004),
                $"label {label} (identity {set.Ids[label]}) trained on the row the original wrote for it");
    }

    [Test]
    public void A_run_folder_of_numerically_labelled_identities_is_not_resumed()
    {
        var run = Path.Combine(root, "numeric-labels");
        new Trainer(Options(run, stopAfter: 0), TextWriter.Null).Run();
        var record = Path.Combine(run, RunRecord.FileName);
        var old = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(record))!.AsObject();
        old.Remove("labels"); // what a run started before the labels followed the original wrote
        File.WriteAllText(record, old.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => new Trainer(Options(run), TextWriter.Null).Run())!;
        Assert.That(e.Message, Does.Contain("(labels (none) → name-order)"));
    }

    [Test]
    public void A_harness_checkpoint_gives_the_original_every_identity_on_its_own_row()
    {
        var run = Directory.CreateDirectory(Path.Combine(root, "to-original")).FullName;
        var set = TrainingSet.Open(data);
        var t = Options(run).Training;
        torch.random.manual_seed(5);
        using var model = new D2lvNet(Backbones.Resnet50, Model, set.Classes);
        var sd = StateDicts.Ordered(model).ToDictionary(kv => kv.Key, kv => kv.Value);
        var perPiece = set.Classes / 4;
        using (torch.no_grad())
            for (var label = 0; label < set.Classes; label++)
                sd[$"classifier_{label / perPiece}.weight"][label % perPiece].fill_(set.Ids[label] / 100.0);
        using var optimizer = new Adam(model.parameters().Where(p => p.requires_grad), t.LearningRate, t.Beta1, t.Beta2, t.AdamEps, t.WeightDecay);
        Checkpoints.Save(run, 0, Checkpoints.Build(model, optimizer, t, 0, t.IterationsPerEpoch));

        var python = PyTorch.Run("original-rows", "--folder", data, "--file", Checkpoints.PathFor(run, 0)).GetProperty("rows");
        foreach (var id in set.Ids)
            Assert.That(python.GetProperty(id.ToString()).GetDouble(), Is.EqualTo((float)(id / 100.0)).Within(1e-9),
                $"the original's row of identity {id}");
    }
}
