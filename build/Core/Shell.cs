namespace Isc.Build.Core;

/// <summary>Words shown as commands to paste (repair hints, job scripts).</summary>
public static class Shell
{
    /// <summary>Single-quotes a word for bash.</summary>
    public static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "/._-=:,@+".Contains(c)) ? s : "'" + s.Replace("'", "'\\''") + "'";
}
