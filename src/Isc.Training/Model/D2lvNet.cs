using Isc.Recipe;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Isc.Training.Model;

/// <summary>
/// The D2LV network (docs/recipe.md, Network): <c>base</c> (ResNet + Waveblock + GeM) gives the feature f;
/// <c>projector_feat_bn</c> (Linear, BN1d, LeakyReLU, Linear, then a BN1d whose bias is frozen) feeds four
/// bias-free classifier pieces whose outputs are concatenated into the logits. state_dict order:
/// base.*, classifier_0..3, projector_feat_bn.* (registration order).
/// </summary>
public sealed class D2lvNet : Module<Tensor, (Tensor Features, Tensor Logits)>
{
    readonly ResNetBase @base;
    readonly Linear[] classifiers;
    readonly Sequential projector_feat_bn;

    public Backbone Backbone { get; }
    public ModelSettings Settings { get; }
    public int Classes { get; }

    /// <summary>Batch shards for BatchNorm statistics and Waveblock bands (the original 4-GPU DataParallel); 1 = whole batch.</summary>
    public int Shards { get; set; } = 1;

    /// <summary>
    /// Run the shards in one pass (ghost batch norm, per-shard Waveblock bands) when the batch splits into equal
    /// shards; false = shard after shard, the literal form (kept as the reference and for uneven batches).
    /// </summary>
    public bool OnePass { get; set; } = true;

    public ResNetBase Base => @base;
    public BatchNorm FinalBn => (BatchNorm)projector_feat_bn[1];

    public D2lvNet(Backbone backbone, ModelSettings m, int classes) : base(nameof(D2lvNet))
    {
        if (classes <= 0 || classes % m.ClassifierPieces != 0)
            throw new ArgumentException($"the identity count {classes} must be a positive multiple of {m.ClassifierPieces} (the classifier is split in {m.ClassifierPieces})");
        Backbone = backbone;
        Settings = m;
        Classes = classes;
        @base = new ResNetBase(backbone, m);
        classifiers = new Linear[m.ClassifierPieces];
        for (var i = 0; i < classifiers.Length; i++)
        {
            classifiers[i] = Linear(m.ProjectorOut, classes / m.ClassifierPieces, hasBias: false);
            using (no_grad()) init.normal_(classifiers[i].weight, 0, m.ClassifierInitStd);
        }
        var finalBn = BatchNorm.Of1d(m.ProjectorOut);
        finalBn.bias!.requires_grad = false;
        projector_feat_bn = Sequential(
            ("0", Sequential(
                ("0", Linear(m.FeatureDim, m.ProjectorHidden)),
                ("1", BatchNorm.Of1d(m.ProjectorHidden)),
                ("2", LeakyReLU(m.LeakyReluSlope)),
                ("3", Linear(m.ProjectorHidden, m.ProjectorOut)))),
            ("1", finalBn));
        register_module("base", @base);
        for (var i = 0; i < classifiers.Length; i++) register_module($"classifier_{i}", classifiers[i]);
        register_module("projector_feat_bn", projector_feat_bn);
    }

    /// <summary>The convolutions' arithmetic: null = fp32, or a reduced type for mixed precision (see <see cref="ComputePrecision"/>).</summary>
    public void SetComputeType(ScalarType? type)
    {
        foreach (var conv in modules().OfType<Conv>()) conv.ComputeType = type;
    }

    /// <summary>Eval-mode feature of a batch (no Waveblock): the 2048-d (paper) GeM vector.</summary>
    public Tensor Features(Tensor x) => @base.call(x);

    public override (Tensor Features, Tensor Logits) forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor f, z;
        if (!training || Shards <= 1 || x.shape[0] < Shards)
        {
            f = @base.call(x);
            z = projector_feat_bn.call(f);
        }
        else (f, z) = OnePass && x.shape[0] % Shards == 0 ? OnePassForward(x) : ShardedForward(x);
        var logits = cat(classifiers.Select(c => c.call(z)).ToArray(), 1);
        return (f.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// nn.DataParallel semantics: each shard normalises with its own batch statistics and draws its own Waveblock
    /// band; the running statistics keep only the first replica's update (its buffers alias the module's), so
    /// shards 1… run with momentum 0 (running stats unchanged, without an in-place write autograd would object to)
    /// and num_batches_tracked counts one step.
    /// </summary>
    (Tensor F, Tensor Z) ShardedForward(Tensor x)
    {
        var chunks = x.chunk(Shards, 0);
        var fs = new List<Tensor>();
        var zs = new List<Tensor>();
        var norms = modules().OfType<TorchSharp.Modules.NormBase>().Where(n => n.running_mean is not null).ToList();
        var momenta = norms.Select(n => n.momentum).ToList();
        try
        {
            for (var i = 0; i < chunks.Length; i++)
            {
                if (i == 1) foreach (var n in norms) n.momentum = 0.0;
                var f = @base.call(chunks[i]);
                fs.Add(f);
                zs.Add(projector_feat_bn.call(f));
            }
        }
        finally
        {
            for (var i = 0; i < norms.Count; i++) norms[i].momentum = momenta[i];
        }
        using (no_grad())
            foreach (var n in norms) n.num_batches_tracked?.MinusInPlace(chunks.Length - 1);
        return (cat(fs, 0), cat(zs, 0));
    }

    /// <summary>
    /// The same semantics in one pass over the whole batch: every BatchNorm normalises each shard with its own
    /// statistics and keeps shard 0's running-statistics update, and the Waveblock gives each shard its own band, the
    /// one the shard-after-shard form draws. Everything else (convolutions, pooling, GeM, Linear) is per image.
    /// </summary>
    (Tensor F, Tensor Z) OnePassForward(Tensor x)
    {
        var norms = modules().OfType<TorchSharp.Modules.NormBase>().Where(n => n.running_mean is not null).ToList();
        if (norms.FirstOrDefault(n => n is not BatchNorm) is { } other)
            throw new InvalidOperationException($"{other.GetName()} has running statistics but is not the harness's BatchNorm");
        var bns = norms.Cast<BatchNorm>().ToList();
        try
        {
            foreach (var n in bns) n.Shards = Shards;
            @base.Waveblock.BeginShards(Shards, @base.WaveblockCalls);
            var f = @base.call(x);
            return (f, projector_feat_bn.call(f));
        }
        finally
        {
            foreach (var n in bns) n.Shards = 1;
            @base.Waveblock.EndShards();
        }
    }

    /// <summary>The classifier weights' state_dict keys (what trimming removes).</summary>
    public IReadOnlyList<string> ClassifierKeys => [.. Enumerable.Range(0, classifiers.Length).Select(i => $"classifier_{i}.weight")];
}
