using Cake.Core;

namespace Isc.Build.Host;

/// <summary>Cake's console, but plain text (no colours, no escape codes) when output goes to a file, a pipe or CI.</summary>
public sealed class BuildConsole(IConsole inner) : IConsole
{
    readonly bool _plain = Console.IsOutputRedirected || Environment.GetEnvironmentVariable("NO_COLOR") is not null;

    public ConsoleColor ForegroundColor
    {
        get => inner.ForegroundColor;
        set { if (!_plain) inner.ForegroundColor = value; }
    }

    public ConsoleColor BackgroundColor
    {
        get => inner.BackgroundColor;
        set { if (!_plain) inner.BackgroundColor = value; }
    }

    public bool SupportAnsiEscapeCodes => !_plain && inner.SupportAnsiEscapeCodes;
    public void Write(string format, params object[] arg) => inner.Write(format, arg);
    public void Write(string value) => inner.Write(value);
    public void WriteLine(string format, params object[] arg) => inner.WriteLine(format, arg);
    public void WriteLine(string value) => inner.WriteLine(value);
    public void WriteError(string format, params object[] arg) => inner.WriteError(format, arg);
    public void WriteError(string value) => inner.WriteError(value);
    public void WriteErrorLine(string format, params object[] arg) => inner.WriteErrorLine(format, arg);
    public void WriteErrorLine(string value) => inner.WriteErrorLine(value);
    public void ResetColor() { if (!_plain) inner.ResetColor(); }
}
