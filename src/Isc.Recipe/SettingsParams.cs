using System.Globalization;
using System.Reflection;

namespace Isc.Recipe;

/// <summary>
/// Turns a settings record into the flat, invariant key/value form that stamps record and
/// applies <c>key=value</c> overrides to a record (keys are property names, case-insensitive,
/// dashes ignored: <c>images-per-id</c> = <c>ImagesPerId</c>).
/// </summary>
public static class SettingsParams
{
    public static SortedDictionary<string, string> ToParams(object settings, string prefix = "")
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in Properties(settings.GetType()))
        {
            var value = p.GetValue(settings);
            if (Attribute.IsDefined(p, typeof(RecordedWhenChangedAttribute)) && Equals(value, DeclaredDefault(p))) continue;
            result[prefix + p.Name] = Format(value);
        }
        return result;
    }

    /// <summary>The default the record's primary constructor declares for <paramref name="p"/>.</summary>
    static object? DeclaredDefault(PropertyInfo p)
    {
        var parameter = p.DeclaringType!.GetConstructors().SelectMany(c => c.GetParameters())
            .FirstOrDefault(a => a.Name == p.Name && a.HasDefaultValue)
            ?? throw new InvalidOperationException($"{p.DeclaringType.Name}.{p.Name} is [RecordedWhenChanged] but its constructor declares no default");
        return parameter.DefaultValue;
    }

    public static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>True when <paramref name="key"/> names a settable property of <typeparamref name="T"/>.</summary>
    public static bool Has<T>(string key) => Has(typeof(T), key);

    /// <summary>True when <paramref name="key"/> names a settable property of the settings record <paramref name="record"/>.</summary>
    public static bool Has(Type record, string key) => Find(record, key) is not null;

    public static T With<T>(T settings, string key, string value) where T : class
    {
        // The record's own type, so a record passed as object (SettingOverrides) is cloned and searched as itself.
        var type = settings.GetType();
        var prop = Find(type, key)
            ?? throw new RecipeException(
                $"'{key}' is not a setting of {type.Name}; settings: {string.Join(", ", Properties(type).Select(p => p.Name))}");
        var parsed = Parse(prop, value);
        // Records are immutable: clone through the compiler-generated copy constructor, then set the init-only property.
        var clone = (T)type.GetMethod("<Clone>$")!.Invoke(settings, null)!;
        prop.SetValue(clone, parsed);
        return clone;
    }

    /// <summary>
    /// Applies the overrides, then checks the whole record against its declared ranges (<see cref="SettingsValidation"/>);
    /// <paramref name="where"/> (the target, or "--set" in a worker) starts every error.
    /// </summary>
    public static T WithAll<T>(T settings, IEnumerable<KeyValuePair<string, string>> overrides, string where) where T : class
    {
        try { return SettingsValidation.Validated(overrides.Aggregate(settings, (s, kv) => With(s, kv.Key, kv.Value)), where); }
        catch (RecipeException e) when (!e.Message.StartsWith(where + ": ", StringComparison.Ordinal))
        {
            throw new RecipeException($"{where}: {e.Message}");
        }
    }

    /// <summary>Why <paramref name="value"/> cannot be setting <paramref name="key"/> of <paramref name="record"/> (unknown, unparsable or out of range), or null when it can.</summary>
    public static string? ValueProblem(Type record, string key, string value)
    {
        if (Find(record, key) is not { } prop) return $"'{key}' is not a setting of {record.Name}";
        try { return SettingsValidation.Problem(prop, Parse(prop, value)); }
        catch (RecipeException e) { return e.Message; }
    }

    static object Parse(PropertyInfo prop, string value)
    {
        try
        {
            var t = Nullable.GetUnderlyingType(prop.PropertyType) ?? prop.PropertyType;
            return t == typeof(string) ? value
                : t == typeof(bool) ? bool.Parse(value)
                : Convert.ChangeType(value, t, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new RecipeException($"setting {prop.DeclaringType!.Name}.{prop.Name} needs a {prop.PropertyType.Name}, got '{value}' ({SettingsValidation.Accepted(prop)})");
        }
    }

    internal static IEnumerable<PropertyInfo> Properties(Type t) =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
         .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
         .OrderBy(p => p.MetadataToken);

    internal static PropertyInfo? Find(Type t, string key)
    {
        var norm = key.Replace("-", "").Replace("_", "");
        return Properties(t).FirstOrDefault(p => string.Equals(p.Name, norm, StringComparison.OrdinalIgnoreCase));
    }
}
