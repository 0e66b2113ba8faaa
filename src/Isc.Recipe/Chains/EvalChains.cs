namespace Isc.Recipe.Chains;

/// <summary>
/// The chain that turns an evaluation image into a query (docs/imaging.md, Evaluation set): the edits the ISC 2021
/// queries show — a crop, a rotation, colour changes, text and emoji, a paste onto another image — made only of steps
/// the training chains use, so it runs through the same implementations. It is none of the 11 training chains.
/// </summary>
public static class EvalChains
{
    static readonly UniformRange Position = new(0, 0.5);

    public static readonly Chain Query = new(
    [
        new ToRgb(),
        new RandomResizedCrop(Scale: new(0.25, 1), Ratio: new(3.0 / 4, 4.0 / 3), Attempts: 10),
        new Rotation(0.4, new(-30, 30)),
        new ColorJitter(0.7, Brightness: new(0.6, 1.4), Contrast: new(0.6, 1.4), Saturation: new(0.5, 1.5), Hue: new(-0.1, 0.1)),
        new Grayscale(0.15),
        new TextOverlay(0.4, Count: new(4, 16), CharIndex: new(0, 99), Channel: new(0, 255), FontSize: new(0.1, 0.3),
            Opacity: new(0, 1), Position, Position),
        new EmojiOverlay(0.25, Opacity: new(0.5, 1), Size: new(0.15, 0.4), Position, Position),
        // The copy (QuerySize px) resized by 1–1.8 onto a background of ImageWidth × ImageHeight: it keeps a quarter to
        // most of the result.
        new ImageOverlay(0.35, Scale: new(1, 1.8), Position, Position),
        new Resize(),
    ]);
}
