using Isc.Imaging.Assets;

namespace Isc.Imaging.Augmentations;

/// <summary>What the steps need besides their parameters: the output size and the shared, read-only assets.</summary>
public sealed record AugmentationContext(int OutputSize, OverlayLibrary Overlays, EmojiLibrary Emojis, TextRenderer Text);
