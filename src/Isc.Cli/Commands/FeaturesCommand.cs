using Isc.Recipe;
using Isc.Training.Inference;
using Isc.Training.Model;
using Isc.Torch.Runtime;

namespace Isc.Cli.Commands;

public sealed class FeaturesCommand : IWorkerCommand
{
    public string Name => "features";
    public string Summary => "eval-mode GeM features of images from a trimmed model, as float32 .npy";
    public string Usage => """
        isc features --model <trimmed .pth.tar> --images <folder | list file> --out <file.npy>
                     [--profile paper|demo] [--size S] [--batch N] [--device cpu|cuda|cuda:N] [--threads N]
          Writes [N, D] float32 (D = 2048 at paper width) in eval mode at S×S (default: the profile's InputSize, 256
          for paper) with the training normalisation, and <file.npy>.names.txt with the image names in row order.
          A list file holds one image path per line (relative to the list's folder).
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var modelPath = args.Required("model");
        var imagesArg = args.Required("images");
        var output = args.Required("out");
        var profile = Profiles.Get(args.Optional("profile") ?? "paper");
        var size = args.Int("size", profile.Training.InputSize);
        var batch = args.Int("batch", 32);
        var device = args.Optional("device") ?? "cpu";
        var threads = args.Int("threads", 0);
        args.RejectUnknown();
        if (!File.Exists(modelPath)) throw new UsageException($"--model {modelPath}: no such file");
        if (batch <= 0 || size <= 0) throw new UsageException("--batch and --size must be positive");
        var images = FeatureExtractor.ListImages(imagesArg);
        TorchRuntime.EnsureLoadable();
        using var model = TrimmedModel.Load(modelPath, profile.Model);
        var dev = TorchRuntime.Device(device);
        if (dev.type == TorchSharp.DeviceType.CPU) TorchRuntime.ConfigureCpuThreads(threads, model.Settings.StemWidth);
        var n = FeatureExtractor.Run(model, images, size, output, dev, batch, Console.Out);
        Console.WriteLine($"wrote {output}: {n} x {model.Settings.FeatureDim} float32, names in {DescriptorFile.NamesPath(output)}");
        return Task.FromResult(0);
    }
}
