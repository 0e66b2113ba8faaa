using System.IO.Compression;
using System.Text.Json;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>
/// "Pin only what passed", with the real ./build.sh on the paper profile's cheapest download steps: the published overlay
/// zip (given by hand, minimum image count lowered) and a pretrained backbone (given by hand). A file that a later check
/// of its step refuses is not pinned, and the right file is accepted afterwards. The lock file is a scratch one named by
/// the "downloadsLock" key of the test's own configuration file: the repository's downloads.lock.json is never touched.
/// </summary>
[TestFixture]
public class PinFlowBuildTests
{
    string _root = "";
    string _lock = "";
    string _config = "";
    byte[]? _repoLockBefore;

    static string RepoLock => Path.Combine(Harness.RepoRoot, "downloads.lock.json");

    [SetUp]
    public void SetUp()
    {
        _root = Harness.TempRoot("pin");
        _lock = Path.Combine(_root, "scratch.lock.json");
        _config = Path.Combine(_root, "isc.test.json");
        File.WriteAllText(_config, JsonSerializer.Serialize(new Dictionary<string, object> { ["profile"] = "paper", ["downloadsLock"] = _lock }));
        _repoLockBefore = File.Exists(RepoLock) ? File.ReadAllBytes(RepoLock) : null;
    }

    [TearDown]
    public void TearDown()
    {
        Assert.That(File.Exists(RepoLock) ? File.ReadAllBytes(RepoLock) : null, Is.EqualTo(_repoLockBefore), "the repository's lock file must not change");
        if (_root != "" && Directory.Exists(_root)) try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    Harness.Result Build(params string[] extra) =>
        Harness.Build([.. extra, $"--config={_config}", "--profile=paper", $"--artifacts={Path.Combine(_root, "artifacts")}"]);

    JsonElement? Pin(string key)
    {
        if (!File.Exists(_lock)) return null;
        using var doc = JsonDocument.Parse(File.ReadAllText(_lock));
        return doc.RootElement.GetProperty("entries").TryGetProperty(key, out var e) ? e.Clone() : null;
    }

    string Zip(string name, params string[] entries)
    {
        var path = Path.Combine(_root, name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var entry in entries)
        {
            using var s = zip.CreateEntry(entry).Open();
            s.Write([0xFF, 0xD8, 0xFF, 0xE0, (byte)entry.Length]);
        }
        return path;
    }

    [Test]
    public void An_overlay_zip_that_extraction_refuses_is_not_pinned_and_the_right_zip_is_accepted_afterwards()
    {
        var evil = Zip("evil.zip", "images/a.jpg", "images/b.jpg", "images/c.jpg", "../escaped.jpg");
        var good = Zip("good.zip", "images/a.jpg", "images/b.jpg", "images/c.jpg");

        var refused = Build("--target=Overlays", $"--file:Overlays={evil}", "--set=Overlays.OverlayImages=3");
        Assert.That(refused.ExitCode, Is.Not.EqualTo(0), refused.ToString());
        Assert.That(refused.Output, Does.Contain("climbs out"), refused.ToString());
        Assert.That(Pin("Overlays"), Is.Null, "a refused zip must not be pinned\n" + refused);

        var accepted = Build("--target=Overlays", $"--file:Overlays={good}", "--set=Overlays.OverlayImages=3");
        Assert.That(accepted.ExitCode, Is.EqualTo(0), accepted.ToString());
        Assert.That(Harness.Built(accepted.Output), Is.EqualTo(new[] { "Overlays" }), accepted.ToString());
        var pin = Pin("Overlays");
        Assert.That(pin, Is.Not.Null, accepted.ToString());
        Assert.That(pin!.Value.GetProperty("sha256").GetString(), Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(good)))));
        Assert.That(pin.Value.GetProperty("source").GetString(), Does.Contain(good));
    }

    [Test]
    public void A_text_file_or_a_resnet18_given_as_resnet50_fails_the_pretrained_step_and_is_not_pinned()
    {
        var text = Path.Combine(_root, "resnet50_bar.pth");
        File.WriteAllText(text, "Quota exceeded\n");
        var asText = Build("--target=Pretrained:resnet50", $"--file:Pretrained:resnet50={text}");
        Assert.That(asText.ExitCode, Is.Not.EqualTo(0), asText.ToString());
        Assert.That(asText.Output, Does.Contain("text file").And.Contain("resnet50_bar.pth"), asText.ToString());
        Assert.That(Pin("Pretrained:resnet50"), Is.Null, asText.ToString());

        var python = Harness.Run("/usr/bin/python3", ["-c", "import torch, torchvision"], TimeSpan.FromMinutes(1));
        if (python.ExitCode != 0) Assert.Ignore("/usr/bin/python3 lacks torch/torchvision (install Debian's python3-torch python3-torchvision): " + python.Output);
        var resnet18 = Path.Combine(_root, "resnet18.pth");
        var made = Harness.Run("/usr/bin/python3", [Path.Combine(Harness.RepoRoot, "tests", "python", "d2lv_fixtures.py"), "resnet18", "--out", resnet18, "--width", "64"], TimeSpan.FromMinutes(2));
        Assert.That(made.ExitCode, Is.EqualTo(0), made.ToString());

        var wrong = Build("--target=Pretrained:resnet50", $"--file:Pretrained:resnet50={resnet18}");
        Assert.That(wrong.ExitCode, Is.Not.EqualTo(0), wrong.ToString());
        Assert.That(wrong.Output, Does.Contain("resnet18.pth").And.Contain("expected keys matched").And.Contain("missing e.g. layer"), wrong.ToString());
        Assert.That(Pin("Pretrained:resnet50"), Is.Null, wrong.ToString());
    }
}
