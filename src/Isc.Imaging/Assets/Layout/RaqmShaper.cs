using HarfBuzzSharp;
using HbBuffer = HarfBuzzSharp.Buffer;

namespace Isc.Imaging.Assets.Layout;

/// <summary>
/// Pillow's RAQM layout of one line: the code points get bidi levels (<see cref="BidiLevels"/>) and a script (common
/// and inherited characters take the script before them, leading ones the first real script), are cut into runs of
/// one level and script, the runs put in visual order (L2), and each run shaped by HarfBuzz with the whole line as
/// context, right to left on odd levels. Positions come out in 26.6 at the em size, unhinted, as raqm hands them to
/// Pillow. Not thread-safe: one per thread.
/// </summary>
public sealed class RaqmShaper : IDisposable
{
    readonly Blob _blob;
    readonly Face _face;
    readonly HarfBuzzSharp.Font _font;
    int _em = -1;

    public RaqmShaper(string fontFile)
    {
        _blob = Blob.FromFile(fontFile);
        _face = new Face(_blob, 0);
        _font = new HarfBuzzSharp.Font(_face);
        _font.SetFunctionsOpenType();
    }

    public IReadOnlyList<ShapedGlyph> Shape(string text, int emPixels)
    {
        if (_em != emPixels) { _font.SetScale(emPixels * 64, emPixels * 64); _em = emPixels; }
        var cps = CodePoints(text);
        var levels = BidiLevels.Resolve(cps, out _);
        var scripts = Scripts(cps);
        var runs = new List<(int Start, int Length, byte Level, Script Script)>();
        for (var i = 0; i < cps.Length;)
        {
            var end = i + 1;
            while (end < cps.Length && levels[end] == levels[i] && scripts[end] == scripts[i]) end++;
            runs.Add((i, end - i, levels[i], scripts[i]));
            i = end;
        }
        var glyphs = new List<ShapedGlyph>();
        foreach (var r in BidiLevels.VisualOrder([.. runs.Select(r => r.Level)]).Select(k => runs[k]))
        {
            using var buffer = new HbBuffer();
            buffer.AddCodepoints(cps, r.Start, r.Length);
            buffer.Direction = (r.Level & 1) == 1 ? Direction.RightToLeft : Direction.LeftToRight;
            buffer.Script = r.Script;
            _font.Shape(buffer);
            var infos = buffer.GlyphInfos;
            var positions = buffer.GlyphPositions;
            for (var g = 0; g < infos.Length; g++)
                glyphs.Add(new ShapedGlyph((ushort)infos[g].Codepoint, positions[g].XAdvance, positions[g].XOffset, positions[g].YOffset));
        }
        return glyphs;
    }

    static int[] CodePoints(string text)
    {
        var list = new List<int>(text.Length);
        foreach (var rune in text.EnumerateRunes()) list.Add(rune.Value);
        return [.. list];
    }

    static Script[] Scripts(int[] cps)
    {
        var scripts = new Script[cps.Length];
        Script? last = null;
        var firstReal = -1;
        for (var i = 0; i < cps.Length; i++)
        {
            var s = UnicodeFunctions.Default.GetScript(cps[i]);
            if (s == Script.Common || s == Script.Inherited || s == Script.Unknown)
            {
                scripts[i] = last ?? Script.Common;
                continue;
            }
            scripts[i] = s;
            last = s;
            if (firstReal < 0) firstReal = i;
        }
        for (var i = 0; i < firstReal; i++) scripts[i] = scripts[firstReal];
        return scripts;
    }

    public void Dispose()
    {
        _font.Dispose();
        _face.Dispose();
        _blob.Dispose();
    }
}
