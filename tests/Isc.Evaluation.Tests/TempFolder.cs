namespace Isc.Evaluation.Tests;

/// <summary>A temporary folder for a test's files, deleted after it.</summary>
sealed class TempFolder : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("isc-eval-tests-").FullName;

    public string Path(string name) => System.IO.Path.Combine(Root, name);

    /// <summary>Writes <paramref name="lines"/> (one per line, '\n' after each) to <paramref name="name"/>; returns its path.</summary>
    public string Write(string name, params string[] lines)
    {
        var path = Path(name);
        File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")));
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
