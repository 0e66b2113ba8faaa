namespace Isc.Recipe;

/// <summary>The settings records of a <see cref="Profile"/> that overrides can reach.</summary>
public enum SettingsRecord { Source, Generation, Model, Training, EvalSet, Evaluation }

/// <summary>
/// The one place where setting overrides become the typed settings of an artifact. The build's
/// <c>--set=&lt;target&gt;.&lt;key&gt;=&lt;value&gt;</c> (and isc.json's "set") and a worker's <c>--set key=value</c> run by hand both
/// come here: <c>Source.</c>/<c>Overlays.</c> overrides apply to every artifact, the groups <c>Datasets.</c> and
/// <c>Trainings.</c> before a target's own, and each key goes to the first of the artifact's records that has it.
/// Unknown keys, unparsable values and values out of range are refused, naming the target.
/// </summary>
public static class SettingOverrides
{
    public const string SourceTarget = "Source";
    public const string OverlaysTarget = "Overlays";
    /// <summary>The evaluation's settings (<c>--set=Evaluation.topK=5</c>): one protocol for every evaluation artifact
    /// (the evaluation set, descriptors, whitening, searches, comparison), so every model is measured alike.</summary>
    public const string EvaluationTarget = "Evaluation";

    static readonly Dictionary<string, string> Groups = new(StringComparer.OrdinalIgnoreCase) { ["Trainings"] = ArtifactKinds.TrainingPrefix, ["Datasets"] = ArtifactKinds.DatasetPrefix };

    /// <summary>True for the group targets <c>Trainings</c> (every <c>Train:</c> target) and <c>Datasets</c> (every <c>Dataset:</c> target).</summary>
    public static bool IsGroup(string setTarget) => Groups.ContainsKey(setTarget) || setTarget.Equals(EvaluationTarget, StringComparison.OrdinalIgnoreCase);

    static bool GroupCovers(string setTarget, string target) =>
        Groups.TryGetValue(setTarget, out var prefix) && target.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The key=value overrides aimed at one target (case-insensitive), group ones first so a target's own override wins:
    /// <c>Trainings.&lt;setting&gt;</c> applies to every <c>Train:</c> target, <c>Datasets.&lt;setting&gt;</c> to every <c>Dataset:</c> target.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> For(IEnumerable<(string Target, string Key, string Value)> sets, string target) =>
        sets.Where(s => string.Equals(s.Target, target, StringComparison.OrdinalIgnoreCase) || GroupCovers(s.Target, target))
            .OrderBy(s => IsGroup(s.Target) ? 0 : 1)
            .Select(s => new KeyValuePair<string, string>(s.Key, s.Value));

    /// <summary>The records a target's own overrides reach, in the order a key is looked up (none: the target takes no settings).</summary>
    public static SettingsRecord[] RecordsOf(string target) =>
        target.Equals("Datasets", StringComparison.OrdinalIgnoreCase) || target.StartsWith(ArtifactKinds.DatasetPrefix, StringComparison.OrdinalIgnoreCase) ? [SettingsRecord.Generation]
        : target.Equals("Trainings", StringComparison.OrdinalIgnoreCase) || target.StartsWith(ArtifactKinds.TrainingPrefix, StringComparison.OrdinalIgnoreCase) ? [SettingsRecord.Training, SettingsRecord.Model]
        : target.Equals(SourceTarget, StringComparison.OrdinalIgnoreCase) || target.Equals(OverlaysTarget, StringComparison.OrdinalIgnoreCase) ? [SettingsRecord.Source]
        : target.Equals(EvaluationTarget, StringComparison.OrdinalIgnoreCase) ? [SettingsRecord.Evaluation, SettingsRecord.EvalSet]
        : [];

    /// <summary>The profile with the <c>Source.</c>/<c>Overlays.</c> overrides applied: what every artifact of the build is made from.</summary>
    public static Profile WithSource(Profile profile, IEnumerable<(string Target, string Key, string Value)> sets) =>
        Apply(profile, For(sets, SourceTarget).Concat(For(sets, OverlaysTarget)), $"{SourceTarget}/{OverlaysTarget}", SettingsRecord.Source);

    /// <summary>
    /// The settings artifact <paramref name="target"/> is made with: the source overrides, then the target's own
    /// (its group's first), each key going to the first of the target's records (<see cref="RecordsOf"/>) that has it.
    /// </summary>
    public static Profile Resolve(Profile profile, IEnumerable<(string Target, string Key, string Value)> sets, string target)
    {
        var all = sets.ToList();
        return Apply(WithSource(profile, all), For(all, target), target, RecordsOf(target));
    }

    /// <summary>
    /// Applies key=value overrides, each to the first of <paramref name="records"/> that has the key, then checks those
    /// records against their declared ranges. <paramref name="where"/> (a target, or "--set" in a worker run by hand)
    /// starts every error.
    /// </summary>
    public static Profile Apply(Profile profile, IEnumerable<KeyValuePair<string, string>> overrides, string where, params SettingsRecord[] records)
    {
        try
        {
            foreach (var (key, value) in overrides)
            {
                var record = records.Cast<SettingsRecord?>().FirstOrDefault(r => SettingsParams.Has(TypeOf(r!.Value), key))
                    ?? throw new RecipeException(Unknown(key, records));
                profile = Set(profile, record, SettingsParams.With(Get(profile, record), key, value));
            }
            foreach (var record in records)
                if (Of(profile, record) is { } settings) SettingsValidation.Validated(settings, where);
            return profile;
        }
        catch (RecipeException e) when (!e.Message.StartsWith(where + ": ", StringComparison.Ordinal))
        {
            throw new RecipeException($"{where}: {e.Message}");
        }
    }

    static string Unknown(string key, SettingsRecord[] records) => records.Length switch
    {
        0 => $"'{key}' cannot be set here: this artifact has no settings",
        1 => $"'{key}' is not a setting of {TypeOf(records[0]).Name}; settings: {Names(records[0])}",
        _ => $"'{key}' is not a setting of {string.Join(" or ", records.Select(r => TypeOf(r).Name))}; " +
            string.Join("; ", records.Select(r => $"{TypeOf(r).Name}: {Names(r)}")),
    };

    static string Names(SettingsRecord record) => string.Join(", ", SettingsParams.Properties(TypeOf(record)).Select(p => p.Name));

    /// <summary>Each record's type, and how it is read from (null: the profile has none) and put back into a profile: one row per <see cref="SettingsRecord"/>.</summary>
    static readonly Dictionary<SettingsRecord, (Type Type, Func<Profile, object?> Of, Func<Profile, object, Profile> Set)> Table = new()
    {
        [SettingsRecord.Source] = (typeof(SourceSettings), p => p.Source, (p, v) => p with { Source = (SourceSettings)v }),
        [SettingsRecord.Generation] = (typeof(GenerationSettings), p => p.Generation, (p, v) => p with { Generation = (GenerationSettings)v }),
        [SettingsRecord.Model] = (typeof(ModelSettings), p => p.Model, (p, v) => p with { Model = (ModelSettings)v }),
        [SettingsRecord.Training] = (typeof(TrainingSettings), p => p.Training, (p, v) => p with { Training = (TrainingSettings)v }),
        [SettingsRecord.EvalSet] = (typeof(EvalSetSettings), p => p.EvalSet, (p, v) => p with { EvalSet = (EvalSetSettings)v }),
        [SettingsRecord.Evaluation] = (typeof(EvaluationSettings), p => p.Evaluation, (p, v) => p with { Evaluation = (EvaluationSettings)v }),
    };

    public static Type TypeOf(SettingsRecord record) => Table[record].Type;

    /// <summary>The profile's record, or null where the profile has none (the paper profile's <see cref="Profile.EvalSet"/>).</summary>
    public static object? Of(Profile p, SettingsRecord record) => Table[record].Of(p);

    static object Get(Profile p, SettingsRecord record) => Of(p, record) ?? throw new RecipeException(
        $"the {p.Name} profile has no {TypeOf(record).Name}: its evaluation images are the DISC21 files you give, not drawn by the harness");

    static Profile Set(Profile p, SettingsRecord record, object value) => Table[record].Set(p, value);
}
