using Isc.Recipe;
using Isc.Torch.Pickle;
using Isc.Torch.Serialization;
using Isc.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Isc.Training.Inference;

/// <summary>
/// A stand-in for an authors' published model where there is none (the demo profile): a trimmed model with seeded
/// Gaussian noise added, written in the trimmed-model format, so the comparison of rebuilt and published models has
/// something close to, but not the same as, the rebuilt model to measure.
/// </summary>
/// <remarks>
/// Every floating-point tensor of more than one value gets noise of standard deviation <c>noise × its own standard
/// deviation</c> (population standard deviation, computed in float64), drawn from one generator seeded with the seed,
/// tensor after tensor in the file's order, so the same input and seed give the same file byte for byte. Unchanged:
/// integer tensors (<c>num_batches_tracked</c>), the batch-norm running statistics (<c>running_mean</c>,
/// <c>running_var</c>: statistics of the data, not learned weights, and a variance must stay positive), single values
/// (GeM's p: a single value has no spread to scale), and tensors whose values are all equal (spread 0).
/// </remarks>
public static class PublishedStandIn
{
    public const double DefaultNoise = 0.05;

    /// <summary>Writes the stand-in of the trimmed model <paramref name="trimmedPath"/> to <paramref name="output"/> atomically; returns how many tensors got noise.</summary>
    public static int Write(string trimmedPath, string output, long seed, double noise)
    {
        if (!(noise >= 0) || !double.IsFinite(noise)) throw new ArgumentException($"the noise factor must be a finite number >= 0, got {noise}", nameof(noise));
        // Refuses what is not a trimmed D2LV model, naming the file, before anything is written.
        using (TrimmedModel.Load(trimmedPath, Profiles.Paper.Model)) { }
        var root = TorchFile.Load(trimmedPath) as Dictionary<object, object?>
            ?? throw new InvalidDataException($"{trimmedPath}: not a dict of tensors");
        if (root.ContainsKey("state_dict"))
            throw new InvalidDataException($"{trimmedPath}: a training checkpoint (it has a 'state_dict' entry), not a trimmed model: trim it first (isc trim)");
        var state = new PyOrderedDict();
        var changed = 0;
        var created = new List<Tensor>();
        using var generator = new Generator((ulong)seed);
        try
        {
            foreach (var (key, value) in root)
            {
                if (key is not string name || value is not Tensor t)
                    throw new InvalidDataException($"{trimmedPath}: the entry '{key}' is not a named tensor: not a trimmed model");
                var noisy = WithNoise(name, t, noise, generator);
                if (!ReferenceEquals(noisy, t))
                {
                    created.Add(noisy);
                    changed++;
                }
                state.Add(name, noisy);
            }
            TorchZip.Save(output, state);
        }
        finally
        {
            foreach (var t in created) t.Dispose();
            foreach (var t in root.Values.OfType<Tensor>()) t.Dispose();
        }
        return changed;
    }

    static Tensor WithNoise(string name, Tensor t, double noise, Generator generator)
    {
        if (!t.is_floating_point() || t.numel() < 2 || noise == 0
            || name.EndsWith(".running_mean", StringComparison.Ordinal) || name.EndsWith(".running_var", StringComparison.Ordinal))
            return t;
        using var scope = NewDisposeScope();
        var values = t.to(ScalarType.Float64);
        var spread = values.std(unbiased: false).item<double>();
        if (spread == 0) return t;
        var draw = randn(t.shape, dtype: ScalarType.Float64, generator: generator);
        return (values + draw * (noise * spread)).to(t.dtype).contiguous().MoveToOuterDisposeScope();
    }
}
