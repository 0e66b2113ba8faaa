using System.Diagnostics;

namespace Isc.Downloads.Tests;

[TestFixture]
public sealed class ResumableDownloaderTests : DownloadTestBase
{
    static readonly byte[] File200K = Payload(200_000);

    [Test]
    public async Task Downloads_verifies_size_and_hash_then_renames()
    {
        await using var server = new LoopbackServer((req, _) => Reply.File(req, File200K));
        using var downloader = new ResumableDownloader(Options());
        var dest = PathIn("sub", "a.bin");

        var result = await downloader.DownloadAsync(DownloadRequest.Single(server.Url("a.bin").AbsoluteUri, dest, Sha(File200K), File200K.Length));

        Assert.That(File.ReadAllBytes(dest), Is.EqualTo(File200K));
        Assert.That(result.Sha256, Is.EqualTo(Sha(File200K)));
        Assert.That(result.BytesTransferred, Is.EqualTo(File200K.Length));
        Assert.That(File.Exists(dest + ".part"), Is.False);
        Assert.That(File.Exists(dest + ".part.json"), Is.False);
        Assert.That(LogLines.Last(), Does.Contain("done").And.Contain(Sha(File200K)));
    }

    [Test]
    public async Task A_later_run_resumes_with_a_range_request_from_the_bytes_on_disk()
    {
        await using var server = new LoopbackServer((req, n) =>
            n == 0 ? Reply.File(req, File200K) with { DropAfter = 70_000 } : Reply.File(req, File200K));
        var dest = PathIn("b.bin");
        var url = server.Url("b.bin").AbsoluteUri;

        using (var first = new ResumableDownloader(Options(retries: 0)))
            Assert.ThrowsAsync<DownloadException>(() => first.DownloadAsync(DownloadRequest.Single(url, dest)));
        Assert.That(new FileInfo(dest + ".part").Length, Is.EqualTo(70_000), "the bytes received before the drop stay on disk");
        Assert.That(File.Exists(dest), Is.False, "a half-written file is never the destination");

        using var second = new ResumableDownloader(Options(retries: 0));
        var result = await second.DownloadAsync(DownloadRequest.Single(url, dest, Sha(File200K)));

        var requests = server.Requests.ToArray();
        Assert.That(requests[1].RangeStart, Is.EqualTo(70_000));
        Assert.That(requests[1].Header("if-range"), Is.EqualTo("\"v1\""), "the resume is conditional on the same file version");
        Assert.That(result.BytesTransferred, Is.EqualTo(130_000));
        Assert.That(File.ReadAllBytes(dest), Is.EqualTo(File200K));
    }

    [Test]
    public async Task A_connection_dropped_midway_is_resumed_within_the_same_run()
    {
        await using var server = new LoopbackServer((req, n) => n switch
        {
            0 => Reply.File(req, File200K) with { DropAfter = 50_000 },
            1 => Reply.File(req, File200K) with { DropAfter = 60_000 }, // 60,000 more from 50,000
            _ => Reply.File(req, File200K),
        });
        using var downloader = new ResumableDownloader(Options(retries: 3));
        var dest = PathIn("c.bin");

        await downloader.DownloadAsync(DownloadRequest.Single(server.Url("c.bin").AbsoluteUri, dest, Sha(File200K), File200K.Length));

        Assert.That(server.Requests.Select(r => r.RangeStart), Is.EqualTo(new long?[] { null, 50_000, 110_000 }));
        Assert.That(File.ReadAllBytes(dest), Is.EqualTo(File200K));
    }

    [Test]
    public async Task A_stalled_connection_times_out_and_resumes()
    {
        await using var server = new LoopbackServer((req, n) =>
            n == 0 ? Reply.File(req, File200K) with { StallAfter = 20_000 } : Reply.File(req, File200K));
        using var downloader = new ResumableDownloader(Options(retries: 2));
        var dest = PathIn("stall.bin");

        await downloader.DownloadAsync(DownloadRequest.Single(server.Url("s").AbsoluteUri, dest, Sha(File200K)));

        Assert.That(server.Requests.Last().RangeStart, Is.EqualTo(20_000));
        Assert.That(LogLines, Has.Some.Contains("no data for"));
        Assert.That(File.ReadAllBytes(dest), Is.EqualTo(File200K));
    }

    [Test]
    public async Task Server_errors_are_retried_until_success()
    {
        await using var server = new LoopbackServer((req, n) => n switch
        {
            0 => Reply.Code(503),
            1 => Reply.Code(500),
            _ => Reply.File(req, File200K),
        });
        using var downloader = new ResumableDownloader(Options(retries: 3));
        var dest = PathIn("d.bin");

        await downloader.DownloadAsync(DownloadRequest.Single(server.Url("d.bin").AbsoluteUri, dest, Sha(File200K)));

        Assert.That(server.Count, Is.EqualTo(3));
        Assert.That(LogLines.Count(l => l.Contains("retry")), Is.EqualTo(2));
        Assert.That(File.ReadAllBytes(dest), Is.EqualTo(File200K));
    }

    [Test]
    public async Task Retries_are_bounded_and_the_error_says_so()
    {
        await using var server = new LoopbackServer((_, _) => Reply.Code(502));
        using var downloader = new ResumableDownloader(Options(retries: 2));
        var dest = PathIn("e.bin");

        var e = Assert.ThrowsAsync<DownloadException>(() => downloader.DownloadAsync(DownloadRequest.Single(server.Url("e.bin").AbsoluteUri, dest)));

        Assert.That(server.Count, Is.EqualTo(3), "one try and two retries");
        Assert.That(e!.Message, Does.Contain("502").And.Contain("Gave up after 2 retries"));
        Assert.That(Directory.GetFiles(Dir), Is.Empty, "nothing was received, so nothing is left behind");
    }

    [Test]
    public async Task Too_many_requests_waits_for_retry_after()
    {
        var times = new List<long>();
        var clock = Stopwatch.StartNew();
        await using var server = new LoopbackServer((req, n) =>
        {
            lock (times) times.Add(clock.ElapsedMilliseconds);
            return n == 0 ? Reply.Code(429, ("Retry-After", "1")) : Reply.File(req, File200K);
        });
        using var downloader = new ResumableDownloader(Options(retries: 2)); // back-off alone would wait ~5 ms
        var dest = PathIn("f.bin");

        await downloader.DownloadAsync(DownloadRequest.Single(server.Url("f.bin").AbsoluteUri, dest, Sha(File200K)));

        Assert.That(times, Has.Count.EqualTo(2));
        Assert.That(times[1] - times[0], Is.GreaterThanOrEqualTo(950), "Retry-After: 1 is honoured");
        Assert.That(LogLines, Has.Some.Contains("429").And.Contains("in 1 s"));
    }

    [Test]
    public async Task A_retry_after_beyond_the_limit_fails_at_once_with_the_wait_in_the_message()
    {
        await using var server = new LoopbackServer((_, _) => Reply.Code(429, ("Retry-After", "3600")));
        using var downloader = new ResumableDownloader(Options(retries: 3));

        var e = Assert.ThrowsAsync<DownloadException>(() => downloader.DownloadAsync(DownloadRequest.Single(server.Url("g").AbsoluteUri, PathIn("g.bin"))));

        Assert.That(server.Count, Is.EqualTo(1));
        Assert.That(e!.Message, Does.Contain("60 minutes"));
    }

    [Test]
    public async Task A_server_that_ignores_ranges_restarts_from_zero_and_still_verifies()
    {
        await using var server = new LoopbackServer((_, n) =>
            n == 0 ? Reply.Bytes(File200K) with { DropAfter = 80_000 } : Reply.Bytes(File200K));
        using var downloader = new ResumableDownloader(Options(retries: 2));
        var dest = PathIn("h.bin");

        await downloader.DownloadAsync(DownloadRequest.Single(server.Url("h").AbsoluteUri, dest, Sha(File200K)));

        Assert.That(server.Requests.Last().RangeStart, Is.EqualTo(80_000));
        Assert.That(LogLines, Has.Some.Contains("starting over"));
        Assert.That(File.ReadAllBytes(dest), Is.EqualTo(File200K));
    }

    [Test]
    public async Task A_wrong_hash_saves_nothing_at_the_destination()
    {
        await using var server = new LoopbackServer((req, _) => Reply.File(req, File200K));
        using var downloader = new ResumableDownloader(Options());
        var dest = PathIn("i.bin");
        var wrong = new string('a', 64);

        var e = Assert.ThrowsAsync<VerificationException>(() =>
            downloader.DownloadAsync(DownloadRequest.Single(server.Url("i").AbsoluteUri, dest, wrong)));

        Assert.That(e!.Message, Does.Contain(wrong).And.Contain(Sha(File200K)).And.Contain("i.bin"));
        Assert.That(File.Exists(dest), Is.False);
        Assert.That(File.Exists(dest + ".part"), Is.False, "bad bytes are not resumed from");
        Assert.That(File.Exists(dest + ".rejected"), Is.True);
    }

    [Test]
    public async Task A_size_announced_differently_from_the_catalog_is_refused_before_downloading()
    {
        await using var server = new LoopbackServer((req, _) => Reply.File(req, File200K));
        using var downloader = new ResumableDownloader(Options());

        var e = Assert.ThrowsAsync<VerificationException>(() =>
            downloader.DownloadAsync(DownloadRequest.Single(server.Url("j").AbsoluteUri, PathIn("j.bin"), size: 123)));

        Assert.That(e!.Message, Does.Contain("200,000").And.Contain("123"));
        Assert.That(File.Exists(PathIn("j.bin")), Is.False);
    }

    [Test]
    public async Task An_html_page_from_a_plain_url_is_an_error_and_nothing_is_saved()
    {
        await using var server = new LoopbackServer((_, _) =>
            Reply.Html(200, "<html><head><title>Mirror maintenance</title></head><body><p>Back soon.</p></body></html>"));
        using var downloader = new ResumableDownloader(Options());
        var dest = PathIn("k.zip");

        var e = Assert.ThrowsAsync<DownloadException>(() => downloader.DownloadAsync(DownloadRequest.Single(server.Url("k.zip").AbsoluteUri, dest)));

        Assert.That(e!.Message, Does.Contain("k.zip").And.Contain("Mirror maintenance").And.Contain("--from-file"));
        Assert.That(Directory.GetFiles(Dir), Is.Empty);
    }

    [Test]
    public async Task An_html_body_without_an_html_content_type_is_still_recognised()
    {
        await using var server = new LoopbackServer((_, _) =>
            Reply.Bytes("<!DOCTYPE html><html><title>Error 404 (Not Found)</title></html>"u8.ToArray()));
        using var downloader = new ResumableDownloader(Options());

        var e = Assert.ThrowsAsync<DownloadException>(() => downloader.DownloadAsync(DownloadRequest.Single(server.Url("x").AbsoluteUri, PathIn("x.pth"))));

        Assert.That(e!.Message, Does.Contain("Error 404"));
        Assert.That(Directory.GetFiles(Dir), Is.Empty);
    }

    [Test]
    public async Task A_file_already_at_the_destination_is_verified_not_downloaded()
    {
        await using var server = new LoopbackServer((req, _) => Reply.File(req, File200K));
        var dest = PathIn("l.bin");
        File.WriteAllBytes(dest, File200K);
        using var downloader = new ResumableDownloader(Options());

        var result = await downloader.DownloadAsync(DownloadRequest.Single(server.Url("l").AbsoluteUri, dest, Sha(File200K)));

        Assert.That(result.AlreadyPresent, Is.True);
        Assert.That(server.Count, Is.EqualTo(0));
        File.WriteAllBytes(dest, Payload(10));
        Assert.ThrowsAsync<VerificationException>(() => downloader.DownloadAsync(DownloadRequest.Single(server.Url("l").AbsoluteUri, dest, Sha(File200K))));
    }

    [Test]
    public async Task The_next_source_is_tried_when_the_first_fails()
    {
        await using var server = new LoopbackServer((req, _) =>
            req.Path == "/good" ? Reply.File(req, File200K) : Reply.Code(404));
        using var downloader = new ResumableDownloader(Options());
        var dest = PathIn("m.bin");

        var result = await downloader.DownloadAsync(new DownloadRequest(
            [server.Url("missing").AbsoluteUri, server.Url("good").AbsoluteUri], dest, Sha(File200K)));

        Assert.That(result.Source, Does.EndWith("/good"));
        Assert.That(LogLines, Has.Some.Contains("404"));
    }
}
