namespace Isc.Downloads.Tests;

/// <summary>
/// Downloading or importing a file never pins it: the step pins it (isc pin) only after every later check passed, so a
/// file that extraction or the checkpoint check refuses does not become "the expected file".
/// </summary>
[TestFixture]
public sealed class NoPinOnDownloadTests : DownloadTestBase
{
    [Test]
    public async Task A_download_with_a_lock_file_does_not_record_a_pin()
    {
        var bytes = Payload(30_000, seed: 5);
        await using var server = new LoopbackServer((req, _) => Reply.File(req, bytes));
        var lockFile = new HashLock(PathIn("downloads.lock.json"));
        using var downloader = new ResumableDownloader(Options(), lockFile);

        await downloader.DownloadAsync(DownloadRequest.Single(server.Url("d.zip").AbsoluteUri, PathIn("d.zip"), lockKey: "Dataset:d"));
        await downloader.DownloadAsync(DownloadRequest.Single(server.Url("d.zip").AbsoluteUri, PathIn("d.zip"), lockKey: "Dataset:d")); // already there

        Assert.That(lockFile.Get("Dataset:d"), Is.Null);
        Assert.That(File.Exists(lockFile.Path), Is.False, "the lock file is not even created");
    }

    [Test]
    public async Task A_file_given_by_hand_does_not_record_a_pin()
    {
        var mine = PathIn("mine.zip");
        File.WriteAllBytes(mine, Payload(20_000, seed: 6));
        var lockFile = new HashLock(PathIn("downloads.lock.json"));

        await LocalFileImporter.ImportAsync(DownloadRequest.Single("gdrive:x", PathIn("out", "d.zip"), lockKey: "Dataset:d"), mine, lockFile, LogLines.Add);

        Assert.That(lockFile.Get("Dataset:d"), Is.Null);
    }
}
