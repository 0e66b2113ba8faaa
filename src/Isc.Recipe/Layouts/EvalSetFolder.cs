using System.Globalization;

namespace Isc.Recipe.Layouts;

/// <summary>
/// An evaluation set the harness draws (<c>isc synth-eval-set</c>): <c>references/R000000.jpg</c> ...,
/// <c>queries/Q00000.jpg</c> ... (the challenge's names), <c>ground_truth.csv</c> (<c>query_id,reference_id</c>, header
/// line; a query that copies no reference has an empty reference_id) and <c>manifest.json</c>, written last so its
/// presence means the set is complete. Drawn backgrounds (when no overlay folder is given) are in <c>backgrounds/</c>.
/// </summary>
public static class EvalSetFolder
{
    public const string ReferencesFolder = "references";
    public const string QueriesFolder = "queries";
    public const string BackgroundsFolder = "backgrounds";
    public const string ManifestFileName = "manifest.json";
    /// <summary>A DISC21 set's image lists (the paper profile): one absolute image path per line, in id order.</summary>
    public const string QueryListFileName = "queries.txt", ReferenceListFileName = "references.txt";

    public static string References(string setDirectory) => Path.Combine(setDirectory, ReferencesFolder);
    public static string Queries(string setDirectory) => Path.Combine(setDirectory, QueriesFolder);
    public static string Backgrounds(string setDirectory) => Path.Combine(setDirectory, BackgroundsFolder);
    /// <summary>The set's ground truth: the file of <see cref="EvaluationFolder"/>, in its form.</summary>
    public static string GroundTruth(string setDirectory) => EvaluationFolder.GroundTruth(setDirectory);
    public static string Manifest(string setDirectory) => Path.Combine(setDirectory, ManifestFileName);
    public static string QueryList(string setDirectory) => Path.Combine(setDirectory, QueryListFileName);
    public static string ReferenceList(string setDirectory) => Path.Combine(setDirectory, ReferenceListFileName);

    /// <summary>R000000 (the id the ground truth uses; the file adds ".jpg").</summary>
    public static string ReferenceId(int index) => "R" + index.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Q00000 (the id the ground truth uses; the file adds ".jpg").</summary>
    public static string QueryId(int index) => "Q" + index.ToString("D5", CultureInfo.InvariantCulture);

    public static string BackgroundId(int index) => "B" + index.ToString("D6", CultureInfo.InvariantCulture);

    public static string FileName(string id) => id + ".jpg";
}
