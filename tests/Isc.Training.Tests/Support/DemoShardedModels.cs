using Isc.Recipe;
using Isc.Training;
using Isc.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Isc.Training.Tests.Support;

/// <summary>
/// The 4-shard comparisons' fixtures: the demo's width-8 networks in training mode, 16-image batches of 64 px in 4
/// shards of 4 images, the same weights and batches for both forms compared.
/// </summary>
static class DemoShardedModels
{
    public static readonly ModelSettings DemoModel = Profiles.Demo.Model;
    public static readonly TrainingSettings DemoTraining = Profiles.Demo.Training;
    public const int Classes = 16, Shards = 4, Size = 64;

    /// <summary>Same weights on every call, with BatchNorm buffers and biases moved off their defaults.</summary>
    public static D2lvNet NewModel(Backbone backbone, ScalarType dtype, bool onePass = true)
    {
        random.manual_seed(3);
        var model = new D2lvNet(backbone, DemoModel, Classes) { Shards = Shards, OnePass = onePass };
        using (no_grad())
            foreach (var (k, t) in StateDicts.Ordered(model))
            {
                if (k.EndsWith("running_var")) t.copy_(rand_like(t).Plus(0.5));
                else if (k.EndsWith("running_mean")) t.copy_(randn_like(t).Times(0.1));
                else if (k.EndsWith(".bias") && t.dim() == 1) t.copy_(randn_like(t).Times(0.1));
            }
        model.to(dtype);
        model.train();
        return model;
    }

    /// <summary>Step <paramref name="step"/>'s batch: random pixels, the sampler's label layout (ids × images per id).</summary>
    public static (Tensor X, Tensor Y) Batch(int step, ScalarType dtype)
    {
        random.manual_seed(100 + step);
        var y = arange(DemoTraining.IdsPerBatch).repeat_interleave(DemoTraining.ImagesPerIdInBatch);
        return (randn(y.shape[0], 3, Size, Size).to(dtype), y);
    }
}
