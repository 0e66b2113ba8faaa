using System.Text.Json;
using Isc.Evaluation;
using Isc.Recipe.Layouts;

namespace Isc.Reporting;

/// <summary>
/// One evaluated model's <c>metrics.json</c> as the report found it: read (<see cref="Metrics"/>), absent (both null),
/// or there but unreadable (<see cref="Problem"/> says why).
/// </summary>
public sealed record ModelMetrics(string Model, string Path, MatchingMetrics? Metrics, string? Problem)
{
    public bool Exists => Metrics is not null || Problem is not null;

    /// <summary>The metrics of <paramref name="model"/> (a folder name of <see cref="EvaluationFolder"/>) in the set's folder.</summary>
    public static ModelMetrics Read(string setDirectory, string model)
    {
        var path = EvaluationFolder.Metrics(EvaluationFolder.ModelDirectory(setDirectory, model));
        if (!File.Exists(path)) return new(model, path, null, null);
        try
        {
            return new(model, path, MatchingMetrics.Load(path), null);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return new(model, path, null, e.Message);
        }
    }
}
