using System.Security.Cryptography;
using System.Text;
using Isc.Recipe;
using Isc.Recipe.Chains;

namespace Isc.Build.Graph;

/// <summary>
/// The augmentation chain of a dataset as recorded in its stamp: the variant name and a hash of the chain's full
/// description (every step, probability and range), so editing a chain in the catalog makes exactly the datasets
/// that use it stale, and the plan's reason stays one readable line.
/// </summary>
static class ChainDescription
{
    public static string Of(Dataset d)
    {
        var text = DatasetChains.For(d).Describe();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
        return $"{d.Variant}@{hash}";
    }
}
