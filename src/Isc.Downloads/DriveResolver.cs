using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Isc.Downloads;

/// <summary>
/// Google Drive by share id. The first request goes to <c>uc?export=download&amp;id=ID</c>; small files answer with
/// their bytes, large ones with a "can't scan for viruses" page whose download form (or, on older pages, a
/// <c>confirm=</c> link or a <c>download_warning</c> cookie) gives the URL that serves the bytes. Any other page
/// (quota exceeded, no access, removed) is an error naming Drive's reason and the manual route.
/// </summary>
public sealed partial class DriveResolver(Uri baseUri)
{
    public const string Scheme = "gdrive:";

    public Uri BaseUri { get; } = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");

    public static bool IsDrive(string source) => source.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    public static string IdOf(string source)
    {
        var id = source[Scheme.Length..].Trim();
        if (id.Length < 10 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new DownloadException($"'{source}' is not a Google Drive source: expected gdrive:<file id> (letters, digits, - and _)");
        return id;
    }

    public static string ShareLink(string id) => $"https://drive.google.com/file/d/{id}/view";

    public Uri InitialUri(string id) => new(BaseUri, $"uc?export=download&id={Uri.EscapeDataString(id)}");

    /// <summary>The confirmed download URL a warning page leads to, or null when the page is not a warning page.</summary>
    public static Uri? ConfirmUri(string html, Uri pageUri, IEnumerable<Cookie> cookies, string id)
    {
        // Current pages: <form id="download-form" action="..."> with hidden inputs (id, export, confirm, uuid).
        foreach (Match form in FormRegex().Matches(html))
        {
            var attributes = form.Groups["attrs"].Value;
            if (!attributes.Contains("download", StringComparison.OrdinalIgnoreCase)) continue;
            var action = AttributeRegex("action").Match(attributes) is { Success: true } a ? WebUtility.HtmlDecode(a.Groups[1].Value) : pageUri.AbsoluteUri;
            var query = new StringBuilder();
            foreach (Match input in InputRegex().Matches(form.Groups["body"].Value))
            {
                var tag = input.Value;
                if (AttributeRegex("name").Match(tag) is not { Success: true } name) continue;
                var value = AttributeRegex("value").Match(tag) is { Success: true } v ? v.Groups[1].Value : "";
                query.Append(query.Length == 0 ? '?' : '&')
                     .Append(Uri.EscapeDataString(WebUtility.HtmlDecode(name.Groups[1].Value)))
                     .Append('=')
                     .Append(Uri.EscapeDataString(WebUtility.HtmlDecode(value)));
            }
            if (query.Length > 0) return new UriBuilder(new Uri(pageUri, action)) { Query = query.ToString(1, query.Length - 1) }.Uri;
        }

        // Older pages: a link carrying confirm=TOKEN.
        if (ConfirmLinkRegex().Match(html) is { Success: true } link)
            return new Uri(pageUri, WebUtility.HtmlDecode(link.Groups[1].Value));

        // Oldest: the token in a download_warning cookie.
        if (cookies.FirstOrDefault(c => c.Name.StartsWith("download_warning", StringComparison.Ordinal)) is { } cookie)
            return new Uri(pageUri, $"/uc?export=download&confirm={Uri.EscapeDataString(cookie.Value)}&id={Uri.EscapeDataString(id)}");
        return null;
    }

    /// <summary>What Drive's page says went wrong, in one line.</summary>
    public static string Reason(string html)
    {
        var title = HtmlPage.Title(html);
        var text = HtmlPage.Text(html, 240);
        if (title is null) return text.Length > 0 ? text : "an HTML page with no text";
        return text.Length > 0 && !text.StartsWith(title, StringComparison.Ordinal) ? $"{title}: {text}" : title;
    }

    /// <summary>The error for a web page where a file was expected: the file, the page's reason, and the manual route.</summary>
    public static DownloadException HtmlInsteadOfFile(string displayName, string source, string reason, string destination, string? artifact = null)
    {
        var browser = IsDrive(source) ? ShareLink(IdOf(source)) : source;
        return new DownloadException(
            $"{displayName}: {source} answered with a web page instead of the file ({reason}). Nothing was saved. " +
            $"Manual route: open {browser} in a browser, download the file, then pass its path with " +
            $"--from-file <path> (isc download) or --file:{artifact ?? "<artifact>"}=<path> (the build); it is verified like a download. " +
            $"Destination was {destination}.");
    }

    [GeneratedRegex(@"<form\b(?<attrs>[^>]*)>(?<body>.*?)</form>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex FormRegex();

    [GeneratedRegex(@"<input\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputRegex();

    [GeneratedRegex(@"href=[""']([^""']*[?&](?:amp;)?confirm=[^""']+)[""']", RegexOptions.IgnoreCase)]
    private static partial Regex ConfirmLinkRegex();

    static Regex AttributeRegex(string name) =>
        new($@"\b{name}\s*=\s*[""']([^""']*)[""']", RegexOptions.IgnoreCase);
}
