namespace Isc.Evaluation;

/// <summary>
/// The plain comma-separated lines of the challenge's files: a required header line, then one record a line, fields
/// trimmed, no quoting (ids never hold a comma). Blank lines are skipped. Errors name the file and line.
/// </summary>
static class CsvLines
{
    public static IEnumerable<(int Line, string[] Fields)> Read(string path, string what, string header)
    {
        if (!File.Exists(path))
            throw new InvalidDataException($"{what} file {path} does not exist; give the path of a CSV file whose first line is '{header}'");
        var columns = header.Split(',').Length;
        var number = 0;
        var sawHeader = false;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            if (!sawHeader)
            {
                if (line != header)
                    throw new InvalidDataException(
                        $"{path}:{number}: a {what} file starts with the header line '{header}', found '{Shorten(line)}'; if this is a {what} file without its header, add the header as its first line");
                sawHeader = true;
                continue;
            }
            var fields = line.Split(',');
            if (fields.Length != columns)
                throw new InvalidDataException(
                    $"{path}:{number}: expected {columns} comma-separated fields ({header}), found {fields.Length}: '{Shorten(line)}'");
            for (var i = 0; i < fields.Length; i++) fields[i] = fields[i].Trim();
            yield return (number, fields);
        }
        if (!sawHeader)
            throw new InvalidDataException($"{path}: the {what} file is empty; it needs the header line '{header}' and one line per record");
    }

    static string Shorten(string line) => line.Length <= 80 ? line : line[..77] + "...";
}
