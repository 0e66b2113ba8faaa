namespace Isc.Recipe;

/// <summary>
/// How an error tells the user to change a setting. Run by hand, a worker command takes <c>--set Key=Value</c>; run as a
/// step of the build (<c>isc step</c>, which only the build and its Slurm jobs start), the user typed <c>./build.sh</c>, whose
/// syntax is <c>--set=Target.Key=Value</c>, so the advice must be in that form.
/// </summary>
public static class SettingAdvice
{
    static readonly AsyncLocal<bool> UnderBuild = new();

    /// <summary>While the returned scope is open (on this async flow), advice is written in the build's syntax.</summary>
    public static IDisposable InBuild()
    {
        var before = UnderBuild.Value;
        UnderBuild.Value = true;
        return new Scope(() => UnderBuild.Value = before);
    }

    /// <param name="buildTarget">The build target that owns the setting (e.g. Source for SourceSettings).</param>
    public static string Set(string buildTarget, string key, object value) =>
        UnderBuild.Value ? $"--set={buildTarget}.{key}={value}" : $"--set {key}={value}";

    sealed class Scope(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
