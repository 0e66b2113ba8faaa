using static TorchSharp.torch;

namespace Isc.Training.Solver;

/// <summary>The two losses (docs/recipe.md, Trainer) and the logged precision.</summary>
public static class Losses
{
    /// <summary>Cross-entropy against (1−ε)·onehot + ε/C: mean over the batch of the sum over classes.</summary>
    public static Tensor SmoothedCrossEntropy(Tensor logits, Tensor labels, double epsilon)
    {
        using var scope = NewDisposeScope();
        var classes = logits.shape[1];
        var logp = logits.log_softmax(1);
        var target = nn.functional.one_hot(labels, classes).to(logp.dtype);
        target = target.Times(1 - epsilon).Plus(epsilon / classes);
        return (-(target * logp)).sum(1).mean().MoveToOuterDisposeScope();
    }

    /// <summary>Euclidean distance matrix of the rows of <paramref name="x"/> (clamped away from 0 before the root so the gradient stays finite).</summary>
    public static Tensor Distances(Tensor x)
    {
        using var scope = NewDisposeScope();
        var sq = x.square().sum(1, keepdim: true);
        var d2 = sq + sq.t() - x.mm(x.t()).Times(2);
        return d2.AtLeast(1e-12).sqrt().MoveToOuterDisposeScope();
    }

    /// <summary>Soft-margin triplet with batch-hard mining: mean over anchors of softplus(max d(a,p) − min d(a,n)).</summary>
    public static Tensor SoftTripletBatchHard(Tensor features, Tensor labels, double margin = 0)
    {
        using var scope = NewDisposeScope();
        var dist = Distances(features);
        var same = labels.unsqueeze(1).eq(labels.unsqueeze(0));
        var big = dist.max().detach().Plus(1);
        var dap = where(same, dist, zeros_like(dist)).max(1).values;
        var dan = where(same, dist + big, dist).min(1).values;
        var diff = dap - dan;
        var loss = margin > 0 ? diff.Plus(margin).AtLeast(0) : nn.functional.softplus(diff);
        return loss.mean().MoveToOuterDisposeScope();
    }

    /// <summary>Share of rows whose arg-max logit is the label.</summary>
    public static double TopOnePrecision(Tensor logits, Tensor labels)
    {
        using var p = TopOnePrecisionOnDevice(logits, labels);
        return p.item<double>();
    }

    /// <summary>The same share as a float64 scalar tensor on the logits' device (nothing waits for it).</summary>
    public static Tensor TopOnePrecisionOnDevice(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        return logits.detach().argmax(1).eq(labels).to(float64).mean().MoveToOuterDisposeScope();
    }
}
