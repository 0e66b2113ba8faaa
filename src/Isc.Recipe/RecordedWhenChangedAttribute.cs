namespace Isc.Recipe;

/// <summary>
/// A setting added after artifacts were built with the recipe: <see cref="SettingsParams.ToParams"/> leaves it out while
/// it has its declared default (the behaviour those artifacts were built with), so adding it makes nothing stale and no
/// run folder unresumable; set to anything else, it is part of the artifact's identity like every other setting.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RecordedWhenChangedAttribute : Attribute;
