using Isc.Recipe;
using Isc.Tests;
using NUnit.Framework;

namespace Isc.Recipe.Tests;

/// <summary>The system-package list the build provisions from: complete, consistent with the demo profile, and checked on real files.</summary>
[TestFixture]
public class SystemRequirementsTests
{
    [Test]
    public void The_demo_profile_reads_its_assets_where_the_listed_packages_put_them()
    {
        var assets = Profiles.Demo.Assets;
        Assert.That(SystemRequirements.Providing(assets.FontFile!), Is.SameAs(SystemRequirements.NotoFonts));
        Assert.That(SystemRequirements.Providing(assets.EmojiDirectory!), Is.SameAs(SystemRequirements.TanukiEmoji));
        Assert.That(SystemRequirements.Providing(assets.SyntheticPhotoFont!), Is.SameAs(SystemRequirements.DejaVuFonts));
        Assert.That(SystemRequirements.NotoFonts.NeededFor, Does.Contain(SystemUse.DemoOverlayText));
        Assert.That(SystemRequirements.TanukiEmoji.NeededFor, Does.Contain(SystemUse.DemoEmoji));
        Assert.That(SystemRequirements.DejaVuFonts.NeededFor, Does.Contain(SystemUse.SyntheticPhotos));
    }

    [Test]
    public void Every_use_needs_a_package_and_the_test_suite_needs_them_all()
    {
        foreach (var use in Enum.GetValues<SystemUse>())
            Assert.That(SystemRequirements.For([use]), Is.Not.Empty, $"{use} lists no package");
        Assert.That(SystemRequirements.For([SystemUse.TestSuite]), Is.EqualTo(SystemRequirements.All));
        Assert.That(SystemRequirements.All.Select(r => r.Package), Is.Unique);
        Assert.That(SystemRequirements.For([SystemUse.FaceDetection]).Select(r => r.Package), Is.EqualTo(new[] { "opencv-data", "libgtk-3-0" }));
        Assert.That(SystemRequirements.For([SystemUse.PyTorchInterop]).Select(r => r.Package),
            Is.EqualTo(new[] { "python3-torch", "python3-torchvision", "python3-numpy" }));
    }

    [Test]
    public void A_package_whose_evidence_is_absent_is_missing_and_the_others_are_not()
    {
        // A sysroot holding what the demo's datasets need, but for the emoji folder.
        var root = Directory.CreateTempSubdirectory("isc-sysroot-").FullName;
        try
        {
            foreach (var r in new[] { SystemRequirements.NotoFonts, SystemRequirements.DejaVuFonts })
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Join(root, r.Evidence))!);
                File.WriteAllText(Path.Join(root, r.Evidence), "font");
            }
            var uses = new[] { SystemUse.DemoOverlayText, SystemUse.DemoEmoji, SystemUse.SyntheticPhotos };
            Assert.That(SystemRequirements.Missing(uses, root), Is.EqualTo(new[] { SystemRequirements.TanukiEmoji }));

            Directory.CreateDirectory(Path.Join(root, SystemRequirements.TanukiEmoji.Evidence));
            Assert.That(SystemRequirements.Missing(uses, root), Is.Empty);
            Assert.That(SystemRequirements.Missing([SystemUse.FaceDetection], root).Select(r => r.Package), Is.EqualTo(new[] { "opencv-data", "libgtk-3-0" }));
        }
        finally { Directory.Delete(root, true); }
    }

    [Test]
    public void A_missing_system_file_is_explained_with_its_package()
    {
        Assert.That(SystemRequirements.InstallHint(SystemRequirements.TanukiEmoji.Evidence + "/alien.png"),
            Does.Contain("apt-get install --no-install-recommends ruby-tanuki-emoji"));
        Assert.That(SystemRequirements.InstallHint("/home/me/fonts/my.ttf"), Is.Empty);
        Assert.That(SystemRequirements.OpenCvData.Describe(), Does.Contain("opencv-data").And.Contain("Faces target"));
    }
}

/// <summary>The rule every test with a prerequisite follows: fail when the run requires everything, else skip with the reason.</summary>
[TestFixture, NonParallelizable]
public class PrerequisitesTests
{
    [Test]
    public void A_missing_prerequisite_fails_when_everything_is_required_and_skips_otherwise()
    {
        var (requireAll, ci) = (Environment.GetEnvironmentVariable(Prerequisites.RequireAllVariable), Environment.GetEnvironmentVariable("CI"));
        try
        {
            Environment.SetEnvironmentVariable("CI", null);
            Environment.SetEnvironmentVariable(Prerequisites.RequireAllVariable, null);
            Assert.That(() => Prerequisites.Require(false, "no frobnicator"), Throws.TypeOf<IgnoreException>().With.Message.EqualTo("no frobnicator"));
            Assert.That(() => Prerequisites.Require(true, "unused"), Throws.Nothing);

            Environment.SetEnvironmentVariable(Prerequisites.RequireAllVariable, "1");
            Assert.That(() => Prerequisites.Require(false, "no frobnicator"),
                Throws.TypeOf<AssertionException>().With.Message.Contains("missing prerequisite: no frobnicator").And.Message.Contains("--target=Test"));

            Environment.SetEnvironmentVariable(Prerequisites.RequireAllVariable, null);
            Environment.SetEnvironmentVariable("CI", "true");
            Assert.That(() => Prerequisites.Require("no frobnicator"), Throws.TypeOf<AssertionException>());
        }
        finally
        {
            Environment.SetEnvironmentVariable(Prerequisites.RequireAllVariable, requireAll);
            Environment.SetEnvironmentVariable("CI", ci);
        }
    }
}
