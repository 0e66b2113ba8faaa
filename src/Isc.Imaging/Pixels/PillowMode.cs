namespace Isc.Imaging.Pixels;

/// <summary>
/// The mode Pillow's Image.open gives a JPEG: by its component count, 1 → L, 3 → RGB, 4 → CMYK. Decodes here are
/// RGB (<see cref="RgbImage"/>, an L image as R = G = B) except <see cref="ImageCodec.DecodeAsOpened"/> of a CMYK file,
/// which is CMYK (<see cref="RgbImage.IsCmyk"/>); the mode says how Pillow would have held the file, which matters
/// where the original scripts paste into, resize or save the opened image without converting it first.
/// Other formats (PNG, WebP, BMP) are treated as RGB.
/// </summary>
public enum PillowMode { Rgb, L, Cmyk }
