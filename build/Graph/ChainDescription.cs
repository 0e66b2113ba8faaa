using Isc.Recipe;

namespace Isc.Build.Graph;

/// <summary>The augmentation chain of a dataset as recorded in its stamp: editing a chain in the catalog makes that dataset stale.</summary>
static class ChainDescription
{
    public static string Of(Dataset d) => d.Variant;
}
