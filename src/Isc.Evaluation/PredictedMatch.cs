namespace Isc.Evaluation;

/// <summary>One line of a predictions file: the system says <see cref="QueryId"/> copies <see cref="ReferenceId"/>, with a
/// confidence <see cref="Score"/> (higher = more similar).</summary>
public readonly record struct PredictedMatch(string QueryId, string ReferenceId, double Score);

/// <summary>One (query, reference) pair of the ground truth: the query is a copy of the reference.</summary>
public readonly record struct GroundTruthPair(string QueryId, string ReferenceId);
