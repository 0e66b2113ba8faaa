using System.Text.Json;

namespace Isc.Downloads.Tests;

[TestFixture]
public sealed class HashLockTests : DownloadTestBase
{
    [Test]
    public async Task A_pin_recorded_after_the_checks_is_enforced_on_every_later_download()
    {
        var original = Payload(50_000, seed: 3);
        var changed = Payload(50_000, seed: 4);
        var serve = original;
        await using var server = new LoopbackServer((req, _) => Reply.File(req, Volatile.Read(ref serve)));
        var lockFile = new HashLock(PathIn("repo", "downloads.lock.json"));
        using var downloader = new ResumableDownloader(Options(), lockFile);
        var url = server.Url("backbone.pkl").AbsoluteUri;

        var first = await downloader.DownloadAsync(DownloadRequest.Single(url, PathIn("m1", "backbone.pkl"), lockKey: "Pretrained:ibn"));
        Assert.That(lockFile.Get("Pretrained:ibn"), Is.Null, "downloading pins nothing");
        Assert.That(await lockFile.Pin("Pretrained:ibn", first.Path, url), Is.True);
        var json = JsonDocument.Parse(File.ReadAllText(lockFile.Path));
        var entry = json.RootElement.GetProperty("entries").GetProperty("Pretrained:ibn");
        Assert.That(entry.GetProperty("sha256").GetString(), Is.EqualTo(Sha(original)));
        Assert.That(entry.GetProperty("size").GetInt64(), Is.EqualTo(50_000));
        Assert.That(entry.GetProperty("source").GetString(), Is.EqualTo(url));

        var again = await downloader.DownloadAsync(DownloadRequest.Single(url, PathIn("m2", "backbone.pkl"), lockKey: "Pretrained:ibn"));
        Assert.That(await lockFile.Pin("Pretrained:ibn", again.Path, url), Is.False, "already pinned: checked, not re-recorded");

        Volatile.Write(ref serve, changed);
        var e = Assert.ThrowsAsync<VerificationException>(() =>
            downloader.DownloadAsync(DownloadRequest.Single(url, PathIn("m3", "backbone.pkl"), lockKey: "Pretrained:ibn")));
        Assert.That(e!.Message, Does.Contain("Pretrained:ibn").And.Contain(Sha(original)).And.Contain(Sha(changed)).And.Contain("lock"));
        Assert.That(File.Exists(PathIn("m3", "backbone.pkl")), Is.False);
        Assert.That(lockFile.Get("Pretrained:ibn")!.Sha256, Is.EqualTo(Sha(original)), "a mismatch never rewrites the pin");

        File.WriteAllBytes(PathIn("other.pkl"), changed);
        Assert.ThrowsAsync<VerificationException>(() => lockFile.Pin("Pretrained:ibn", PathIn("other.pkl"), "x"), "pinning another file under a pinned key fails");
    }

    [Test]
    public void Concurrent_recorders_keep_every_entry()
    {
        var lockFile = new HashLock(PathIn("downloads.lock.json"));
        Parallel.For(0, 24, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            new HashLock(lockFile.Path).RecordOrVerify($"Asset:smileys/{i}.png", new LockEntry(new string('0', 63) + (i % 10), i, "test", DateTimeOffset.UnixEpoch)));

        Assert.That(lockFile.All().Keys, Has.Count.EqualTo(24));
    }

    [Test]
    public void A_damaged_lock_file_is_a_clear_error()
    {
        File.WriteAllText(PathIn("downloads.lock.json"), "{ not json");
        var e = Assert.Throws<DownloadException>(() => new HashLock(PathIn("downloads.lock.json")).Get("x"));
        Assert.That(e!.Message, Does.Contain("downloads.lock.json").And.Contain("not valid JSON"));
    }

    [Test]
    public async Task A_file_given_by_hand_is_verified_against_its_pin_and_placed()
    {
        var bytes = Payload(40_000, seed: 9);
        var mine = PathIn("Downloads", "isc_100k_256_big_u.zip");
        Directory.CreateDirectory(Path.GetDirectoryName(mine)!);
        File.WriteAllBytes(mine, bytes);
        var lockFile = new HashLock(PathIn("downloads.lock.json"));
        var dest = PathIn("data", "isc_100k_256_big_u.zip");

        await LocalFileImporter.ImportAsync(DownloadRequest.Single("gdrive:x", dest, size: 40_000, lockKey: "Dataset:u"), mine, lockFile, LogLines.Add);

        Assert.That(File.ReadAllBytes(dest), Is.EqualTo(bytes));
        Assert.That(lockFile.Get("Dataset:u"), Is.Null, "importing pins nothing");
        Assert.That(File.Exists(dest + ".import"), Is.False);
        await lockFile.Pin("Dataset:u", dest, "file given by hand: " + mine);

        var other = PathIn("Downloads", "other.zip");
        File.WriteAllBytes(other, Payload(40_000, seed: 10));
        var e = Assert.ThrowsAsync<VerificationException>(() =>
            LocalFileImporter.ImportAsync(DownloadRequest.Single("gdrive:x", PathIn("data2", "u.zip"), lockKey: "Dataset:u"), other, lockFile, LogLines.Add));
        Assert.That(e!.Message, Does.Contain("Dataset:u"));
        Assert.That(Directory.Exists(PathIn("data2")) && Directory.GetFiles(PathIn("data2")).Length > 0, Is.False, "a file failing verification is never placed");
    }

    [Test]
    public void A_saved_web_page_given_by_hand_is_refused()
    {
        var page = PathIn("uc.zip");
        File.WriteAllText(page, "<!DOCTYPE html><html><title>Google Drive - Virus scan warning</title></html>");

        var e = Assert.ThrowsAsync<DownloadException>(() =>
            LocalFileImporter.ImportAsync(DownloadRequest.Single("gdrive:x", PathIn("out.zip")), page, null, LogLines.Add));

        Assert.That(e!.Message, Does.Contain("web page"));
        Assert.That(File.Exists(PathIn("out.zip")), Is.False);
    }
}
