using Isc.Artifacts;
using NUnit.Framework;

namespace Isc.Artifacts.Tests;

[TestFixture]
public class AtomicFileTests
{
    string _dir = "";

    [SetUp] public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "isc-atomic-" + Guid.NewGuid().ToString("N")));
    [TearDown] public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void A_failed_write_keeps_the_old_file_and_leaves_no_temporary()
    {
        var path = Path.Combine(_dir, "out.json");
        AtomicFile.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("half"u8);
            throw new InvalidOperationException("disk full");
        }));
        Assert.That(File.ReadAllText(path), Is.EqualTo("old"));
        Assert.That(Directory.GetFiles(_dir), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void A_write_replaces_the_file_and_creates_its_folder()
    {
        var path = Path.Combine(_dir, "a", "b", "out.txt");
        AtomicFile.WriteAllText(path, "one");
        AtomicFile.WriteAllText(path, "two");
        Assert.That(File.ReadAllText(path), Is.EqualTo("two"));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Has.Length.EqualTo(1));
    }

    [Test]
    public void A_folder_listing_fingerprint_changes_with_names_and_sizes_only()
    {
        File.WriteAllText(Path.Combine(_dir, "T000000.jpg"), "aa");
        File.WriteAllText(Path.Combine(_dir, "T000001.jpg"), "bbb");
        var (first, files) = Fingerprint.OfListing(_dir);
        Assert.That(files, Is.EqualTo(2));
        File.SetLastWriteTimeUtc(Path.Combine(_dir, "T000000.jpg"), DateTime.UtcNow.AddDays(1));
        Assert.That(Fingerprint.OfListing(_dir).Hash, Is.EqualTo(first));
        File.WriteAllText(Path.Combine(_dir, "T000002.jpg"), "c");
        Assert.That(Fingerprint.OfListing(_dir).Hash, Is.Not.EqualTo(first));
    }

    [Test]
    public void The_build_lock_is_exclusive_and_names_its_holder()
    {
        using (BuildLock.Acquire(_dir, TimeSpan.Zero))
        {
            var e = Assert.Throws<LockedException>(() => BuildLock.Acquire(_dir, TimeSpan.FromMilliseconds(300)))!;
            Assert.That(e.Message, Does.Contain($"build process {Environment.ProcessId}"));
        }
        using (BuildLock.Acquire(_dir, TimeSpan.Zero)) { }
    }
}
