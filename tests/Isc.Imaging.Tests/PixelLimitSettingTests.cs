using Isc.Artifacts;

namespace Isc.Imaging.Tests;

[TestFixture]
public class PixelLimitSettingTests
{
    [Test]
    public void The_limit_is_configurable_and_its_value_checked()
    {
        Assert.That(ImagePixelLimit.Parse(null), Is.EqualTo(178_956_970));
        Assert.That(ImagePixelLimit.Parse("1000000"), Is.EqualTo(1_000_000));
        Assert.That(() => ImagePixelLimit.Parse("lots"), Throws.ArgumentException.With.Message.Contains(ImagePixelLimit.Variable));
        Assert.That(() => ImagePixelLimit.Check("a.jpg", 96, 72, 96 * 72), Throws.Nothing);
        Assert.That(() => ImagePixelLimit.Check("a.jpg", 96, 73, 96 * 72), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("a.jpg"));
    }
}
