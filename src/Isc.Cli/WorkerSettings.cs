using Isc.Artifacts;
using Isc.Recipe;

namespace Isc.Cli;

/// <summary>
/// Where a worker command gets its settings: under the build, the resolved settings in the artifact's step spec
/// (<c>--settings FILE</c>), exactly what the stamp records; by hand, a profile (<c>--profile NAME</c>) with
/// <c>--set key=value</c> overrides resolved by the recipe's <see cref="SettingOverrides"/>, as the build resolves its own.
/// </summary>
public static class WorkerSettings
{
    /// <summary>
    /// The settings this command runs with. <paramref name="records"/> are the records a by-hand <c>--set</c> reaches, in
    /// lookup order; a command given none takes no <c>--set</c>. <paramref name="defaultProfile"/> is used when neither
    /// --settings nor --profile is given (null: one of them is required).
    /// </summary>
    public static Profile Read(CommandArgs args, SettingsRecord[] records, string? defaultProfile = null)
    {
        var file = args.Optional("settings");
        var name = args.Optional("profile");
        var sets = records.Length > 0 ? args.Sets() : [];
        if (file is not null)
        {
            if (name is not null || sets.Count > 0)
                throw new UsageException("--settings carries the resolved settings of the artifact: give it without --profile and --set");
            if (!File.Exists(file)) throw new UsageException($"--settings {file}: no such file (the build writes each step spec under <artifacts>/.stamps/)");
            var spec = StepSpec.Load(file);
            if (spec.Settings is not { } json)
                throw new UsageException($"--settings {file}: the step spec of {spec.Artifact} carries no settings; run this command with --profile instead");
            return ProfileJson.FromElement(json, file);
        }
        var profile = Profiles.Get(name ?? defaultProfile ?? throw new UsageException("missing --profile (or --settings <step spec>)"));
        return SettingOverrides.Apply(profile, sets, "--set", records);
    }
}
