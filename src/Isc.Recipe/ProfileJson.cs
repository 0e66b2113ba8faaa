using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Isc.Recipe;

/// <summary>
/// A resolved <see cref="Profile"/> as JSON: how the build hands a worker the exact typed settings of one artifact
/// (the step spec's "settings"). Only settable properties are written (not derived ones such as FeatureDim); reading
/// refuses missing and unknown members, and the records are checked against their declared ranges again.
/// </summary>
public static class ProfileJson
{
    static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OnlySettable } },
    };

    static void OnlySettable(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object) return;
        foreach (var derived in info.Properties.Where(p => p.Set is null).ToList()) info.Properties.Remove(derived);
    }

    public static JsonElement ToElement(Profile profile) => JsonSerializer.SerializeToElement(profile, Options);

    /// <summary>The profile in <paramref name="json"/>; <paramref name="where"/> (the file it came from) starts every error.</summary>
    public static Profile FromElement(JsonElement json, string where)
    {
        Profile profile;
        try { profile = json.Deserialize<Profile>(Options) ?? throw new RecipeException($"{where}: the settings are empty"); }
        catch (JsonException e) { throw new RecipeException($"{where}: the settings are not a complete profile ({e.Message})"); }
        SettingsValidation.Validated(profile.Source, where);
        SettingsValidation.Validated(profile.Generation, where);
        SettingsValidation.Validated(profile.Model, where);
        SettingsValidation.Validated(profile.Training, where);
        SettingsValidation.Validated(profile.Evaluation, where);
        if (profile.EvalSet is { } evalSet) SettingsValidation.Validated(evalSet, where);
        return profile;
    }
}
