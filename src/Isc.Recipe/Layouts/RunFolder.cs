using System.Globalization;
using System.Text.RegularExpressions;

namespace Isc.Recipe.Layouts;

/// <summary>
/// One training's folder, <c>logs/&lt;family&gt;_&lt;CC or BW&gt;/&lt;50, 152 or ibn&gt;/</c> under the artifacts root (the
/// original scripts' layout): <c>checkpoint_{e}.pth.tar</c> after every epoch, <c>log.txt</c>, <c>metrics.csv</c>,
/// TensorBoard events and <c>run.json</c> (what the run was started with).
/// </summary>
public static partial class RunFolder
{
    public const string LogFileName = "log.txt";
    public const string MetricsFileName = "metrics.csv";
    public const string RecordFileName = "run.json";
    /// <summary>A checkpoint being written (renamed to its name when complete).</summary>
    public const string CheckpointTempPattern = ".checkpoint_*.tmp";

    /// <summary>The run's folder, relative to the artifacts root: logs/baseline_CC/50.</summary>
    public static string RelativePath(Run run) => $"logs/{run.Dataset.FamilyTone}/{run.Backbone.RunSuffix}";

    public static string CheckpointFileName(int epoch) => string.Create(CultureInfo.InvariantCulture, $"checkpoint_{epoch}.pth.tar");

    /// <summary>True for a checkpoint name as <see cref="CheckpointFileName"/> writes it (no sign, no leading zeros).</summary>
    public static bool TryParseCheckpoint(string fileName, out int epoch)
    {
        var m = Checkpoint().Match(fileName);
        epoch = m.Success ? int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : -1;
        return m.Success;
    }

    /// <summary>The checkpoints in <paramref name="directory"/> by epoch, oldest first (none when it does not exist).</summary>
    public static IReadOnlyList<(int Epoch, string Path)> Checkpoints(string directory) =>
        System.IO.Directory.Exists(directory)
            ? [.. System.IO.Directory.EnumerateFiles(directory)
                .Select(f => (Ok: TryParseCheckpoint(System.IO.Path.GetFileName(f), out var e), Epoch: e, Path: f))
                .Where(x => x.Ok).Select(x => (x.Epoch, x.Path)).OrderBy(x => x.Epoch)]
            : [];

    [GeneratedRegex(@"^checkpoint_(0|[1-9][0-9]{0,8})\.pth\.tar\z", RegexOptions.CultureInvariant)]
    private static partial Regex Checkpoint();
}
