namespace Isc.Recipe;

/// <summary>
/// One number per build step. Bump a step's number in the same commit that changes what the step
/// writes (a fixed augmentation bug, a new checkpoint field): every artifact that step made becomes
/// stale, and nothing else does. Changes that do not alter outputs (speed, logging) leave it alone,
/// so an unrelated code change never forces regenerating 2,000,000 images.
/// </summary>
public static class StepVersions
{
    public const int SynthImages = 2; // 2: encoded by libjpeg-turbo (the same bytes whatever SIMD the CPU has)
    public const int FetchOverlays = 1;
    public const int FetchAssets = 1;
    public const int Faces = 1;
    public const int Generate = 4; // 2: JPEGs encoded by libjpeg-turbo (Pillow's bytes) instead of ImageSharp; 3 (issue 15): emoji resized with Pillow's NEAREST stepping (a running double sum), about half of the drawn emojis were one source row/column off; overlay backgrounds keep their JPEG mode (an L background makes the overlay output gray) and k = 0 of an L source is saved as L; AugLy 0.1.4's RGBA is carried (emoji/text/opacity return RGBA, the text opacity is the ink's alpha, later resizes premultiply by it); 4 (issue 15): CMYK JPEGs as Pillow opens them (raw CMYK decoded as libjpeg-turbo does, cmyk2rgb), a CMYK overlay background keeps the image CMYK through the resize, underlay/opacity images are resized in CMYK, k = 0 of a CMYK source is saved as a CMYK JPEG; text lines start at FreeType's scaled ascender rounded up (Pillow's), not Skia's rounded to nearest (one row higher at about half the em sizes)
    public const int DownloadDataset = 1;
    public const int Pretrained = 2; // 2: the demo's synthetic ResNet-152/IBN-a pickles hold tensors, not numpy arrays (which the trainer now refuses, as the original does)
    public const int Train = 3; // 2: JPEGs decoded by libjpeg-turbo (Pillow's pixels) instead of ImageSharp; 3 (issue 15; one bump for the round's training changes): the sampler's pass restarts at every epoch; identities are labelled in the original's order (file names sorted as Python sorts strings); the 4 BatchNorm shards run in one pass (ghost batch norm: same semantics, float rounding differs)
    public const int Trim = 1;
    public const int SynthEvalSet = 2; // 2 (issue 15): the query chain's text lines start at FreeType's ascender (see Generate 4); a CMYK JPEG in a user's background folder is used as Pillow opens it (the query stays CMYK through the resize, then cmyk2rgb)
    public const int EvalSet = 1;
    public const int Published = 1;
    public const int Features = 1;
    public const int Pca = 1;
    public const int Evaluate = 1;
    public const int Compare = 1;
}
