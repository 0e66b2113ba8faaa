using Isc.Recipe;

namespace Isc.Imaging.Tests;

/// <summary>A fixture with 40 small source images and 3 overlays on disk (the tiny profile's inputs), made once per fixture.</summary>
public abstract class TinySourcesFixture(string name)
{
    protected string _root = "";
    protected string _src = "";
    protected string _ov = "";

    protected static readonly Profile Small = TestAssets.TinyProfile;

    [OneTimeSetUp]
    public void MakeSources()
    {
        _root = TestAssets.TempDir(name);
        _src = TestAssets.Sources(_root, 40, 96, 72);
        _ov = TestAssets.Overlays(_root, 3, 80, 60);
    }

    [OneTimeTearDown]
    public void RemoveSources() => Directory.Delete(_root, true);
}
