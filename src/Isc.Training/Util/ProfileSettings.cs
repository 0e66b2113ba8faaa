using Isc.Recipe;

namespace Isc.Training.Util;

/// <summary>A profile's model and training settings with <c>--set key=value</c> overrides applied to whichever record has the key.</summary>
public static class ProfileSettings
{
    public static (ModelSettings Model, TrainingSettings Training) Resolve(string profile, IEnumerable<KeyValuePair<string, string>> sets)
    {
        var p = Profiles.Get(profile);
        var model = p.Model;
        var training = p.Training;
        foreach (var (key, value) in sets)
        {
            if (SettingsParams.Has<TrainingSettings>(key)) training = SettingsParams.With(training, key, value);
            else if (SettingsParams.Has<ModelSettings>(key)) model = SettingsParams.With(model, key, value);
            else throw new RecipeException($"--set {key}: not a setting of TrainingSettings or ModelSettings; " +
                $"training: {string.Join(", ", SettingsParams.ToParams(training).Keys)}; model: {string.Join(", ", SettingsParams.ToParams(model).Keys)}");
        }
        // The build checked these already; a worker run by hand gets the same check before it trains anything.
        return (SettingsValidation.Validated(model, "--set"), SettingsValidation.Validated(training, "--set"));
    }
}
