namespace Isc.Recipe.Layouts;

/// <summary>
/// A trimmed model (the final checkpoint's state_dict without the classifier), as the published models are laid out:
/// <c>V5_&lt;family&gt;_&lt;CC or BW&gt;/&lt;run, lower case&gt;.pth.tar</c> under the artifacts root.
/// </summary>
public static class TrimmedModelFile
{
    public static string RelativePath(Run run) => $"V5_{run.Dataset.FamilyTone}/{run.Name.ToLowerInvariant()}.pth.tar";
}
