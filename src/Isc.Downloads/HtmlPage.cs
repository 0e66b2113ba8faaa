using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Isc.Downloads;

/// <summary>Just enough HTML reading to tell a web page from a file and to quote what the page says.</summary>
public static partial class HtmlPage
{
    /// <summary>True if a response is a web page: its Content-Type says so, or its first bytes do.</summary>
    public static bool Looks(string? mediaType, ReadOnlySpan<byte> head)
    {
        if (mediaType is not null && (mediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)
                                      || mediaType.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase)))
            return true;
        var text = Encoding.ASCII.GetString(head[..Math.Min(head.Length, 512)]).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return text.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase)
               || text.StartsWith("<html", StringComparison.OrdinalIgnoreCase)
               || text.StartsWith("<head", StringComparison.OrdinalIgnoreCase);
    }

    public static string? Title(string html) =>
        TitleRegex().Match(html) is { Success: true } m ? Clean(m.Groups[1].Value) : null;

    /// <summary>The page's visible text (scripts, styles and tags removed, whitespace collapsed), cut to <paramref name="max"/> characters.</summary>
    public static string Text(string html, int max = 300)
    {
        var body = ScriptOrStyleRegex().Replace(html, " ");
        body = TitleElementRegex().Replace(body, " ");
        var text = Clean(TagRegex().Replace(body, " "));
        return text.Length <= max ? text : text[..max].TrimEnd() + "...";
    }

    static string Clean(string s) => SpaceRegex().Replace(WebUtility.HtmlDecode(s), " ").Trim();

    [GeneratedRegex(@"<title[^>]*>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex TitleRegex();

    [GeneratedRegex(@"<title[^>]*>.*?</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex TitleElementRegex();

    [GeneratedRegex(@"<(script|style)\b[^>]*>.*?</\1>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ScriptOrStyleRegex();

    [GeneratedRegex(@"<[^>]+>", RegexOptions.Singleline)]
    private static partial Regex TagRegex();

    [GeneratedRegex(@"\s+")]
    private static partial Regex SpaceRegex();
}
