using Isc.Recipe;

namespace Isc.Downloads.Tests;

[TestFixture]
public sealed class ConcurrencyAndAssetsTests : DownloadTestBase
{
    [Test]
    public async Task Concurrent_downloads_never_exceed_the_bound()
    {
        await using var server = new LoopbackServer((req, _) =>
            Reply.File(req, Payload(5_000, seed: int.Parse(req.Path.Trim('/')))) with { Delay = TimeSpan.FromMilliseconds(80) });
        using var downloader = new ResumableDownloader(Options());
        var requests = Enumerable.Range(0, 12)
            .Select(i => DownloadRequest.Single(server.Url(i.ToString()).AbsoluteUri, PathIn($"f{i}.bin"), Sha(Payload(5_000, seed: i))))
            .ToList();

        var results = await BoundedDownloads.RunAsync(downloader, requests, maxConcurrency: 3, LogLines.Add);

        Assert.That(results, Has.Count.EqualTo(12));
        Assert.That(server.MaxInFlight, Is.LessThanOrEqualTo(3));
        Assert.That(server.MaxInFlight, Is.GreaterThan(1), "downloads do run concurrently");
        Assert.That(LogLines, Has.Some.EqualTo("files: 12/12 done"));
    }

    [Test]
    public async Task One_failure_does_not_stop_the_others_and_all_failures_are_reported()
    {
        await using var server = new LoopbackServer((req, _) => req.Path == "/bad" ? Reply.Code(404) : Reply.File(req, Payload(1000)));
        using var downloader = new ResumableDownloader(Options());
        var requests = new[] { "a", "bad", "b" }.Select(n => DownloadRequest.Single(server.Url(n).AbsoluteUri, PathIn(n))).ToList();

        var e = Assert.ThrowsAsync<DownloadException>(() => BoundedDownloads.RunAsync(downloader, requests, 2, LogLines.Add));

        Assert.That(e!.Message, Does.Contain("1 of 3").And.Contain("404"));
        Assert.That(File.Exists(PathIn("a")) && File.Exists(PathIn("b")), Is.True);
    }

    [Test]
    public void The_catalog_lists_the_font_and_the_92_smileys_at_the_pinned_tag()
    {
        Assert.That(Assets.Smileys, Has.Count.EqualTo(92));
        Assert.That(Assets.Smileys.Select(s => s.Published.FileName), Does.Contain("smiling_face_with_heart_eyes.png"));
        Assert.That(Assets.Font.Published.Url, Is.EqualTo(
            "https://raw.githubusercontent.com/facebookresearch/AugLy/v0.1.5/augly/assets/fonts/NotoNaskhArabic-Regular.ttf"));
        Assert.That(Assets.Smileys[0].Published.Url, Does.StartWith(
            "https://raw.githubusercontent.com/facebookresearch/AugLy/v0.1.5/augly/assets/twemojis/smileys/"));
        Assert.That(Assets.OverlayImages.DriveId, Is.EqualTo("102JynPEzqiZ83zAdquFbrQah2JbXFOuu"));
        var repo = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (repo is not null && !File.Exists(Path.Combine(repo.FullName, "D2lv.sln"))) repo = repo.Parent;
        var list = Path.Combine(repo!.FullName, "src/Isc.Recipe/Data/smiley_emojis.txt");
        Assert.That(Assets.Smileys.Select(s => s.Published.FileName), Is.EqualTo(File.ReadAllLines(list).Where(l => l.Trim().Length > 0)),
            "the embedded list is the repository's list");
    }

    [Test]
    public async Task Fetch_assets_places_font_and_smileys_from_a_mirror_and_pins_them()
    {
        var font = Payload(Assets.Font.Published.Size is { } n ? (int)n : 1000, seed: 42);
        await using var server = new LoopbackServer((req, _) =>
        {
            var path = req.Path.TrimStart('/');
            if (path == "assets/" + Assets.Font.RemotePath) return Reply.File(req, font);
            var smiley = Assets.Smileys.FirstOrDefault(s => "assets/" + s.RemotePath == path);
            return smiley is null ? Reply.Code(404)
                : Reply.File(req, Payload(300, seed: smiley.Published.FileName.GetHashCode(StringComparison.Ordinal))) with { Delay = TimeSpan.FromMilliseconds(5) };
        });
        var options = Options() with { MaxConcurrency = 4 };
        var lockFile = new HashLock(PathIn("downloads.lock.json"));
        var outDir = PathIn("assets");

        var results = await AssetFetcher.FetchAsync(outDir, options, lockFile, server.Url("assets/").AbsoluteUri);

        Assert.That(results, Has.Count.EqualTo(93));
        Assert.That(File.ReadAllBytes(Path.Combine(outDir, "fonts", "NotoNaskhArabic-Regular.ttf")), Is.EqualTo(font));
        Assert.That(Directory.GetFiles(Path.Combine(outDir, "smileys"), "*.png"), Has.Length.EqualTo(92));
        Assert.That(lockFile.All().Keys, Has.Count.EqualTo(93).And.Contains("Asset:smileys/alien.png"));
        Assert.That(server.MaxInFlight, Is.LessThanOrEqualTo(4));

        var again = await AssetFetcher.FetchAsync(outDir, options, lockFile, server.Url("assets/").AbsoluteUri);
        Assert.That(again.All(r => r.AlreadyPresent), Is.True);
        Assert.That(server.Count, Is.EqualTo(93), "a second run verifies what is there and downloads nothing");
    }

    [Test]
    public async Task Fetch_assets_pins_nothing_when_any_file_fails()
    {
        await using var server = new LoopbackServer((req, _) =>
            req.Path.EndsWith("alien.png", StringComparison.Ordinal) ? Reply.Code(404) : Reply.File(req, Payload(300, seed: req.Path.Length)));
        var lockFile = new HashLock(PathIn("downloads.lock.json"));

        Assert.ThrowsAsync<DownloadException>(() => AssetFetcher.FetchAsync(PathIn("assets"), Options(retries: 0) with { MaxConcurrency = 4 }, lockFile, server.Url("assets/").AbsoluteUri));

        Assert.That(lockFile.All(), Is.Empty, "most files arrived verified, but the step failed: nothing is pinned");
    }
}
