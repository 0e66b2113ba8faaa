namespace Isc.Recipe;

/// <summary>How a published pretrained file is serialised.</summary>
public enum PretrainedFormat
{
    /// <summary>torch.save zip archive of a plain state_dict.</summary>
    TorchZip,
    /// <summary>plain pickle of {"model": {name: tensor or ndarray}, ...}.</summary>
    Pickle,
}

/// <summary>One of the three backbones (docs/recipe.md, Network) and its pretrained file.</summary>
public sealed record Backbone(
    string Name,
    string RunSuffix,
    string Description,
    IReadOnlyList<int> BlocksPerStage,
    bool InstanceBatchNorm,
    string PretrainedFileName,
    PretrainedFormat PretrainedFormat,
    PublishedFile Published)
{
    public string Target => ArtifactKinds.PretrainedPrefix + Name;
}

public static class Backbones
{
    public static readonly Backbone Resnet50 = new(
        "resnet50", "50", "torchvision ResNet-50, Barlow Twins init",
        [3, 4, 6, 3], false, "resnet50_bar.pth", PretrainedFormat.TorchZip,
        new PublishedFile("resnet50_bar.pth",
            Url: "https://dl.fbaipublicfiles.com/barlowtwins/ep1000_bs2048_lrw0.2_lrb0.0048_lambd0.0051/resnet50.pth",
            DriveId: "14M57frgk3TX-yLF8diwALLHtPdCZ53mS"));

    public static readonly Backbone Resnet152 = new(
        "resnet152", "152", "torchvision ResNet-152, Momentum2-Teacher init",
        [3, 8, 36, 3], false, "unsupervised_pretrained_byol_152.pkl", PretrainedFormat.Pickle,
        new PublishedFile("unsupervised_pretrained_byol_152.pkl", DriveId: "1-1QkeKCo9PrgDdUF3fe561JtEntd32hv"));

    public static readonly Backbone Ibn = new(
        "ibn", "ibn", "ResNet-50-IBN-a, Momentum2-Teacher init",
        [3, 4, 6, 3], true, "unsupervised_pretrained_m2t_ibn.pkl", PretrainedFormat.Pickle,
        new PublishedFile("unsupervised_pretrained_m2t_ibn.pkl", DriveId: "1-5B2B5VherIRHN9ahE-5L6w1VoWxBD_c"));

    public static readonly IReadOnlyList<Backbone> All = [Resnet50, Resnet152, Ibn];

    public static Backbone Get(string name) =>
        All.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase)
                             || string.Equals(b.RunSuffix, name, StringComparison.OrdinalIgnoreCase)
                             || (name.Equals("resnet_ibn50a", StringComparison.OrdinalIgnoreCase) && b == Ibn))
        ?? throw new RecipeException($"unknown backbone '{name}'; known: {string.Join(", ", All.Select(b => b.Name))}");
}
