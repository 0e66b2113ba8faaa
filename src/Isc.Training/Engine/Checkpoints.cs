using Isc.Recipe;
using Isc.Recipe.Layouts;
using Isc.Training.Model;
using Isc.Torch.Pickle;
using Isc.Torch.Serialization;
using Isc.Training.Solver;
using static TorchSharp.torch;

namespace Isc.Training.Engine;

/// <summary>
/// <c>checkpoint_{e}.pth.tar</c> (docs/recipe.md, Trainer; layouts in docs/formats.md, Checkpoints): torch.save of {'state_dict', 'epoch': e+1,
/// 'optimizer' (Adam layout), 'lr_scheduler' (LambdaLR layout)}, plus 'isc_rng' (seed, next batch, torch RNG
/// state) so a resumed run continues exactly. Written atomically; the newest readable one wins.
/// </summary>
public static class Checkpoints
{
    public static string PathFor(string dir, int epoch) => Path.Combine(dir, RunFolder.CheckpointFileName(epoch));

    public static Dictionary<object, object?> Build(D2lvNet model, Adam optimizer, TrainingSettings t, int epoch, long nextBatch)
    {
        var sd = new PyOrderedDict();
        foreach (var (k, v) in StateDicts.Ordered(model)) sd.Add(k, v);
        var groups = optimizer.Groups.Count;
        var next = t.LearningRate * LearningRateSchedule.Factor(t, epoch + 1);
        return new Dictionary<object, object?>
        {
            ["state_dict"] = sd,
            ["epoch"] = (long)(epoch + 1),
            ["optimizer"] = optimizer.StateDict(),
            ["lr_scheduler"] = new Dictionary<object, object?>
            {
                ["base_lrs"] = Enumerable.Repeat((object?)t.LearningRate, groups).ToList(),
                ["last_epoch"] = (long)(epoch + 1),
                ["verbose"] = false,
                ["_step_count"] = (long)(epoch + 2),
                ["_get_lr_called_within_step"] = false,
                ["_last_lr"] = Enumerable.Repeat((object?)next, groups).ToList(),
                ["lr_lambdas"] = Enumerable.Repeat((object?)null, groups).ToList(),
            },
            ["isc_rng"] = new Dictionary<object, object?>
            {
                ["seed"] = (long)t.Seed,
                ["next_batch"] = nextBatch,
                ["torch_rng_state"] = random.get_rng_state(),
            },
        };
    }

    public static void Save(string dir, int epoch, Dictionary<object, object?> checkpoint) =>
        TorchZip.Save(PathFor(dir, epoch), checkpoint);

    /// <summary>Epochs of the checkpoint files in <paramref name="dir"/>, newest first.</summary>
    public static List<int> Epochs(string dir) => [.. RunFolder.Checkpoints(dir).Select(c => c.Epoch).Reverse()];

    /// <summary>The newest checkpoint that reads completely and has the expected entries; unreadable ones are reported and skipped.</summary>
    public static (int Epoch, Dictionary<object, object?> Root)? LoadNewestValid(string dir, Action<string> log)
    {
        foreach (var e in Epochs(dir))
        {
            var path = PathFor(dir, e);
            try
            {
                var root = TorchZip.IsZip(path) ? TorchZip.Load(path) as Dictionary<object, object?> : null;
                if (root is null || !root.ContainsKey("state_dict") || !root.ContainsKey("optimizer") || root["epoch"] is not long epoch)
                    throw new InvalidDataException("not a training checkpoint (state_dict/optimizer/epoch missing)");
                if (epoch != e + 1) throw new InvalidDataException($"its epoch entry is {epoch}, the name says {e + 1}");
                return (e, root);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or InvalidCastException or KeyNotFoundException or ArgumentException)
            {
                log($"checkpoint {path} is unreadable ({ex.Message}); trying the previous one");
            }
        }
        return null;
    }

    /// <summary>Keeps the newest <paramref name="keep"/> checkpoints and the final one; removes leftover temp files.</summary>
    public static void Retain(string dir, int keep, int finalEpoch)
    {
        foreach (var e in Epochs(dir).Skip(Math.Max(1, keep)))
            if (e != finalEpoch) File.Delete(PathFor(dir, e));
        foreach (var tmp in Directory.EnumerateFiles(dir, RunFolder.CheckpointTempPattern)) File.Delete(tmp);
    }

    public static Dictionary<string, Tensor> StateDict(Dictionary<object, object?> root) =>
        ((Dictionary<object, object?>)root["state_dict"]!).Where(kv => kv.Value is Tensor)
            .ToDictionary(kv => (string)kv.Key, kv => (Tensor)kv.Value!);
}
