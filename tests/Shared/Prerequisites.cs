using NUnit.Framework;

namespace Isc.Tests;

/// <summary>
/// What a test does when something it needs from the machine is missing (PyTorch, a Slurm cluster, a package):
/// it fails with the reason when the run requires everything (./build.sh --target=Test sets ISC_TEST_REQUIRE_ALL,
/// and CI=true does the same), and otherwise skips with the reason, which the end-of-run report repeats.
/// </summary>
public static class Prerequisites
{
    public const string RequireAllVariable = "ISC_TEST_REQUIRE_ALL";

    /// <summary>True under ./build.sh --target=Test and in CI: no test may pass by skipping.</summary>
    public static bool RequireAll =>
        Environment.GetEnvironmentVariable(RequireAllVariable) is { Length: > 0 } v && v != "0" ||
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Returns when <paramref name="present"/>; else fails (require-all run) or skips, with <paramref name="missing"/> as the reason.</summary>
    public static void Require(bool present, string missing)
    {
        if (present) return;
        if (RequireAll)
            // Thrown, not Assert.Fail: the same failure, without recording it before a caller could see it.
            throw new AssertionException($"missing prerequisite: {missing}. This run requires every prerequisite ({RequireAllVariable} or CI=true); " +
                        "./build.sh --target=Test installs them.");
        Assert.Ignore(missing);
    }

    /// <summary>Returns the reason text when <paramref name="why"/> is not null, as <see cref="Require"/> does.</summary>
    public static void Require(string? why)
    {
        if (why is not null) Require(false, why);
    }
}
