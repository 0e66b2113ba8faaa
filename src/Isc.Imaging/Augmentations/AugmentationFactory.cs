using Isc.Recipe.Chains;

namespace Isc.Imaging.Augmentations;

/// <summary>Maps each step spec to its implementation.</summary>
public static class AugmentationFactory
{
    public static IAugmentation Create(ChainStep spec, AugmentationContext ctx) => spec switch
    {
        ToRgb => new Identity(),
        RandomResizedCrop s => new RandomResizedCropStep(s, ctx.OutputSize),
        Rotation s => new RotationStep(s),
        Pixelization s => new PixelizationStep(s),
        ShufflePixels s => new ShufflePixelsStep(s),
        Perspective s => new PerspectiveStep(s, ctx.OutputSize),
        Pad s => new PadStep(s),
        Underlay s => new UnderlayStep(s, ctx.Overlays),
        ColorJitter s => new ColorJitterStep(s),
        GaussianBlur s => new GaussianBlurStep(s, ctx.OutputSize),
        Grayscale => new GrayscaleStep(),
        HorizontalFlip => new HorizontalFlipStep(),
        EmojiOverlay s => new EmojiOverlayStep(s, ctx.Emojis),
        TextOverlay s => new TextOverlayStep(s, ctx.Text),
        ImageOverlay s => new ImageOverlayStep(s, ctx.Overlays, ctx.OutputSize),
        OpacityBlend s => new OpacityBlendStep(s, ctx.Overlays, ctx.OutputSize),
        Resize => new ResizeStep(ctx.OutputSize),
        Colorize s => new ColorizeStep(s),
        _ => throw new NotSupportedException($"no implementation for chain step '{spec.Id}' ({spec.GetType().Name})"),
    };
}
