namespace Isc.Imaging.Assets.Layout;

/// <summary>One glyph of a laid-out line, in visual order; advances and offsets in 26.6 fixed point (1/64 px), y up.</summary>
public readonly record struct ShapedGlyph(ushort Glyph, int XAdvance, int XOffset, int YOffset);
