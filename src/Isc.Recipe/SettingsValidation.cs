using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;

namespace Isc.Recipe;

/// <summary>
/// Checks a settings record against the ranges and value sets declared on its properties
/// (<see cref="RangeAttribute"/>, <see cref="AllowedValuesAttribute"/>) and its own cross-field rules
/// (<see cref="IValidatableObject"/>). Every double must also be finite. The build graph and the workers
/// both call this, so a value refused here never reaches a step.
/// </summary>
public static class SettingsValidation
{
    /// <summary>Returns <paramref name="settings"/> when every setting is accepted; else throws naming <paramref name="where"/>, each setting, its value and what is accepted.</summary>
    public static T Validated<T>(T settings, string where) where T : class
    {
        var problems = Problems(settings);
        if (problems.Count > 0)
            throw new RecipeException($"{where}: {string.Join("; ", problems)}");
        return settings;
    }

    /// <summary>Every refused setting of <paramref name="settings"/>, as "Setting=value is not accepted (Record.Setting accepts ...)".</summary>
    public static List<string> Problems(object settings)
    {
        var type = settings.GetType();
        var problems = new List<string>();
        foreach (var p in SettingsParams.Properties(type))
            if (Problem(p, p.GetValue(settings)) is { } problem) problems.Add(problem);
        if (problems.Count == 0 && settings is IValidatableObject cross)
            problems.AddRange(cross.Validate(new ValidationContext(settings)).Select(r => $"{type.Name}: {r.ErrorMessage}"));
        return problems;
    }

    /// <summary>Why <paramref name="value"/> is not accepted for property <paramref name="p"/>, or null when it is.</summary>
    public static string? Problem(PropertyInfo p, object? value)
    {
        var accepted = Accepted(p);
        var ok = value is not double d || double.IsFinite(d);
        foreach (var rule in p.GetCustomAttributes<ValidationAttribute>())
            ok &= rule.IsValid(value);
        return ok ? null : $"{p.Name}={SettingsParams.Format(value)} is not accepted ({p.DeclaringType!.Name}.{p.Name} accepts {accepted})";
    }

    /// <summary>The accepted values of a setting in words, e.g. "an integer with 1 &lt;= x &lt;= 100".</summary>
    public static string Accepted(PropertyInfo p)
    {
        if (p.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed)
            return "one of " + string.Join(", ", allowed.Values.Select(v => SettingsParams.Format(v)));
        var isDouble = p.PropertyType == typeof(double);
        var what = isDouble ? "a finite number" : p.PropertyType == typeof(int) ? "an integer" : $"a {p.PropertyType.Name}";
        if (p.GetCustomAttribute<RangeAttribute>() is not { } range) return what;
        var min = Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture);
        var max = Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
        var unbounded = max is double.MaxValue or int.MaxValue;
        var low = $"{Text(min)} {(range.MinimumIsExclusive ? "<" : "<=")} x";
        return unbounded
            ? $"{what} with x {(range.MinimumIsExclusive ? ">" : ">=")} {Text(min)}"
            : $"{what} with {low} {(range.MaximumIsExclusive ? "<" : "<=")} {Text(max)}";
    }

    static string Text(double v) => v.ToString("0.##########", CultureInfo.InvariantCulture);
}
