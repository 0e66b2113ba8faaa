using System.Net;

namespace Isc.Downloads.Tests;

/// <summary>The loopback server plays Google Drive: uc?export=download first, a warning page, then the bytes.</summary>
[TestFixture]
public sealed class DriveFlowTests : DownloadTestBase
{
    const string Id = "1-5vhQBvemdHQ3VGJCqG8oWKo2D02xBCU";
    static readonly byte[] Zip = Payload(300_000, seed: 7);

    static string WarningWithForm(string action) => $"""
        <!DOCTYPE html><html><head><title>Google Drive - Virus scan warning</title><style>.x{"{"}color:red{"}"}</style></head>
        <body><div class="uc-main"><p class="uc-warning-caption">Google Drive can't scan this file for viruses.</p>
        <p>isc_100k_256_big.zip (12G) is too large to be scanned. Download it anyway?</p>
        <form id="download-form" action="{action}" method="get">
        <input type="submit" id="uc-download-link" value="Download anyway"/>
        <input type="hidden" name="id" value="{Id}"><input type="hidden" name="export" value="download">
        <input type="hidden" name="confirm" value="t"><input type="hidden" name="uuid" value="5d1e-77aa&amp;b"></form></div></body></html>
        """;

    static bool IsConfirmed(SeenRequest r) => r.Path == "/download" && r.Query.Contains("confirm=t") && r.Query.Contains("uuid=5d1e-77aa%26b");

    [Test]
    public async Task The_warning_page_form_is_followed_to_the_bytes()
    {
        LoopbackServer? server = null;
        server = new LoopbackServer((req, _) =>
            req.Path == "/uc" ? Reply.Html(200, WarningWithForm(server!.Url("download").AbsoluteUri))
            : IsConfirmed(req) ? Reply.File(req, Zip)
            : Reply.Code(404));
        await using var _ = server;
        using var downloader = new ResumableDownloader(Options(drive: server.BaseUri));
        var dest = PathIn("isc_100k_256_big.zip");

        var result = await downloader.DownloadAsync(DownloadRequest.Single($"gdrive:{Id}", dest, Sha(Zip)));

        var requests = server.Requests.ToArray();
        Assert.That(requests[0].PathAndQuery, Is.EqualTo($"/uc?export=download&id={Id}"));
        Assert.That(IsConfirmed(requests[1]), Is.True, requests[1].PathAndQuery);
        Assert.That(result.Sha256, Is.EqualTo(Sha(Zip)));
        Assert.That(File.ReadAllBytes(dest), Is.EqualTo(Zip));
        Assert.That(LogLines, Has.Some.Contains("confirmation"));
    }

    [Test]
    public async Task An_older_page_with_a_confirm_link_is_followed()
    {
        await using var server = new LoopbackServer((req, _) =>
            req.Path == "/uc" && !req.Query.Contains("confirm")
                ? Reply.Html(200, $"<html><title>Google Drive - Virus scan warning</title><a id=\"uc-download-link\" href=\"/uc?export=download&amp;confirm=Xy3_&amp;id={Id}\">Download anyway</a></html>")
                : req.Query == $"export=download&confirm=Xy3_&id={Id}" ? Reply.File(req, Zip) : Reply.Code(404));
        using var downloader = new ResumableDownloader(Options(drive: server.BaseUri));

        await downloader.DownloadAsync(DownloadRequest.Single($"gdrive:{Id}", PathIn("a.zip"), Sha(Zip)));

        Assert.That(server.Count, Is.EqualTo(2));
    }

    [Test]
    public async Task The_oldest_cookie_token_flow_is_followed()
    {
        await using var server = new LoopbackServer((req, _) =>
            !req.Query.Contains("confirm")
                ? Reply.Html(200, "<html><title>Google Drive</title><p>Too large to scan.</p></html>", ("Set-Cookie", "download_warning_13058_abc=Tok9; Path=/"))
                : req.Query.Contains("confirm=Tok9") ? Reply.File(req, Zip) : Reply.Code(404));
        using var downloader = new ResumableDownloader(Options(drive: server.BaseUri));

        await downloader.DownloadAsync(DownloadRequest.Single($"gdrive:{Id}", PathIn("b.zip"), Sha(Zip)));

        Assert.That(server.Requests.Last().Header("cookie"), Does.Contain("download_warning_13058_abc=Tok9"));
    }

    [Test]
    public async Task A_drop_during_the_confirmed_download_resumes_through_the_warning_page_again()
    {
        LoopbackServer? server = null;
        var confirmed = 0;
        server = new LoopbackServer((req, _) =>
        {
            if (req.Path == "/uc") return Reply.Html(200, WarningWithForm("/download"));
            if (!IsConfirmed(req)) return Reply.Code(404);
            return Interlocked.Increment(ref confirmed) == 1 ? Reply.File(req, Zip) with { DropAfter = 100_000 } : Reply.File(req, Zip);
        });
        await using var _ = server;
        using var downloader = new ResumableDownloader(Options(drive: server.BaseUri));
        var dest = PathIn("c.zip");

        await downloader.DownloadAsync(DownloadRequest.Single($"gdrive:{Id}", dest, Sha(Zip)));

        var last = server.Requests.Last();
        Assert.That(IsConfirmed(last) && last.RangeStart == 100_000, Is.True, last.PathAndQuery);
        Assert.That(File.ReadAllBytes(dest), Is.EqualTo(Zip));
    }

    [TestCase(200)]
    [TestCase(403)]
    public async Task A_quota_page_is_a_clear_error_with_the_manual_route_and_nothing_is_saved(int status)
    {
        const string quota = """
            <html><head><title>Google Drive - Quota exceeded</title></head><body><div class="uc-main"><div id="uc-text">
            <p class="uc-error-caption">Sorry, you can&#39;t view or download this file at this time.</p>
            <p class="uc-error-subcaption">Too many users have viewed or downloaded this file recently. Please try again later.</p>
            </div></div></body></html>
            """;
        await using var server = new LoopbackServer((_, _) => Reply.Html(status, quota));
        using var downloader = new ResumableDownloader(Options(drive: server.BaseUri));
        var dest = PathIn("isc_100k_256_big.zip");

        var e = Assert.ThrowsAsync<DownloadException>(() =>
            downloader.DownloadAsync(DownloadRequest.Single($"gdrive:{Id}", dest, lockKey: "Dataset:isc_100k_256_big")));

        TestContext.Out.WriteLine(e!.Message);
        Assert.That(e.Message, Does.Contain("Dataset:isc_100k_256_big")
            .And.Contain("Quota exceeded")
            .And.Contain("Too many users have viewed or downloaded this file recently")
            .And.Contain("you can't view")
            .And.Contain($"https://drive.google.com/file/d/{Id}/view")
            .And.Contain("--from-file")
            .And.Contain("--file:Dataset:isc_100k_256_big=<path> (the build)"));
        Assert.That(Directory.GetFileSystemEntries(Dir), Is.Empty, "no artifact, no .part");
        Assert.That(server.Count, Is.EqualTo(1), "a page is not a transient failure");
    }

    [Test]
    public void Confirm_uri_is_built_from_form_inputs_with_entities_decoded()
    {
        var uri = DriveResolver.ConfirmUri(WarningWithForm("https://usercontent.example/download"), new Uri("https://drive.example/uc?id=x"), [], Id);

        Assert.That(uri!.AbsoluteUri, Is.EqualTo($"https://usercontent.example/download?id={Id}&export=download&confirm=t&uuid=5d1e-77aa%26b"));
    }

    [Test]
    public void A_page_without_form_link_or_cookie_is_not_a_confirmation()
    {
        Assert.That(DriveResolver.ConfirmUri("<html><title>Google Drive - Sign in</title></html>", new Uri("https://d.example/uc"), [new Cookie("NID", "1")], Id), Is.Null);
        Assert.That(DriveResolver.Reason("<html><title>Google Drive - Sign in</title></html>"), Is.EqualTo("Google Drive - Sign in"));
    }

    [Test]
    public void A_malformed_drive_id_is_refused()
    {
        Assert.Throws<DownloadException>(() => DriveResolver.IdOf("gdrive:../../etc"));
        Assert.That(DriveResolver.IdOf("gdrive:" + Id), Is.EqualTo(Id));
    }
}
