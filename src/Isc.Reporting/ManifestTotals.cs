using System.Text.Json;

namespace Isc.Reporting;

/// <summary>
/// How many files a manifest lists and the sum of the sizes it records: a generated dataset's manifest.json
/// (<c>files: [{path, bytes, sha256}]</c>) or a folder manifest (<c>files: [{name, size, sha256}]</c>).
/// Read as a stream: a paper dataset's manifest lists two million files.
/// </summary>
public sealed record ManifestTotals(long Files, long Bytes)
{
    public static ManifestTotals Read(string manifestPath)
    {
        using var stream = File.OpenRead(manifestPath);
        var buffer = new byte[1 << 16];
        var length = 0;
        var state = new JsonReaderState();
        long files = 0, bytes = 0;
        bool inFiles = false, sizeNext = false;
        while (true)
        {
            var read = stream.Read(buffer, length, buffer.Length - length);
            length += read;
            var final = read == 0;
            var reader = new Utf8JsonReader(buffer.AsSpan(0, length), final, state);
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName when reader.CurrentDepth == 1:
                        inFiles = reader.ValueTextEquals("files");
                        break;
                    case JsonTokenType.StartObject when inFiles && reader.CurrentDepth == 2:
                        files++;
                        break;
                    case JsonTokenType.PropertyName when inFiles && reader.CurrentDepth == 3:
                        sizeNext = reader.ValueTextEquals("bytes") || reader.ValueTextEquals("size");
                        break;
                    case JsonTokenType.Number when sizeNext:
                        bytes += reader.GetInt64();
                        sizeNext = false;
                        break;
                    default:
                        sizeNext = false;
                        break;
                }
            }
            if (final) return new ManifestTotals(files, bytes);
            state = reader.CurrentState;
            var consumed = (int)reader.BytesConsumed;
            // A token longer than the buffer: grow it, else move the unread tail to the front.
            if (consumed == 0 && length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            else
            {
                buffer.AsSpan(consumed, length - consumed).CopyTo(buffer);
                length -= consumed;
            }
        }
    }
}
