using Isc.Recipe;
using Isc.Training.Inference;
using Isc.Training.Model;
using Isc.Torch.Runtime;

namespace Isc.Cli.Commands;

public sealed class FeaturesCommand : IWorkerCommand
{
    public string Name => "features";
    public string Summary => "eval-mode GeM features of images from a trimmed model or a pretrained backbone alone, as float32 .npy";
    public string Usage => $"""
        isc features (--model <trimmed .pth.tar> | --backbone <{string.Join("|", Backbones.All.Select(b => b.Name))}> --pretrained <file>)
                     --images <folder | list file> --out <file.npy> [--first N]
                     [--profile paper|demo | --settings <step spec>] [--size S] [--batch N] [--device cpu|cuda|cuda:N] [--threads N]
          Writes [N, D] float32 (D = 2048 at paper width) in eval mode at S×S with the training normalisation, and
          <file.npy>.names.txt with the image names in row order. A list file holds one image path per line (relative
          to the list's folder); a folder's .jpg/.jpeg/.png files are taken in ordinal name order.
          --model       a trimmed model (isc trim's output, or a published model of the same format)
          --backbone, --pretrained
                        the pretrained backbone alone with GeM pooling: the profile's network initialised from the
                        pretrained file exactly as a training starts; the parts the file does not hold get the seeded
                        random init of {nameof(TrainingSettings)}.{nameof(TrainingSettings.Seed)}, so reruns write identical files
          --first N     only the first N images of --images (fewer is an error)
          --size        default: {nameof(TrainingSettings)}.{nameof(TrainingSettings.InputSize)} (paper {Profiles.Paper.Training.InputSize}, demo {Profiles.Demo.Training.InputSize})
          --batch       default: {nameof(EvaluationSettings)}.{nameof(EvaluationSettings.BatchSize)} (paper {Profiles.Paper.Evaluation.BatchSize}, demo {Profiles.Demo.Evaluation.BatchSize})
          The settings are the profile's (default paper) or the resolved ones in the step spec the build wrote.
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var modelPath = args.Optional("model");
        var backboneName = args.Optional("backbone");
        var pretrainedPath = args.Optional("pretrained");
        var imagesArg = args.Required("images");
        var output = args.Required("out");
        var profile = WorkerSettings.Read(args, [], defaultProfile: Profiles.Paper.Name);
        var size = args.Int("size", profile.Training.InputSize);
        var batch = args.Int("batch", profile.Evaluation.BatchSize);
        var first = args.Optional("first") is null ? (int?)null : args.Int("first", 0);
        var device = args.Optional("device") ?? "cpu";
        var threads = args.Int("threads", 0);
        args.RejectUnknown();
        var source = ModelSource.Of(modelPath, backboneName, pretrainedPath);
        if (batch <= 0 || size <= 0) throw new UsageException($"--batch and --size must be positive, got --batch {batch} --size {size}");
        if (first is <= 0) throw new UsageException($"--first must be a positive number of images, got {first}");
        var images = Select(FeatureExtractor.ListImages(imagesArg), imagesArg, first);
        TorchRuntime.EnsureLoadable();
        using var model = source.Load(profile);
        var dev = TorchRuntime.Device(device);
        if (dev.type == TorchSharp.DeviceType.CPU) TorchRuntime.ConfigureCpuThreads(threads, model.Settings.StemWidth);
        var n = FeatureExtractor.Run(model, images, size, output, dev, batch, Console.Out, source.Identity(profile, images, size));
        Console.WriteLine($"wrote {output}: {n} x {model.Settings.FeatureDim} float32 ({source}), names in {DescriptorFile.NamesPath(output)}");
        return Task.FromResult(0);
    }

    static IReadOnlyList<string> Select(IReadOnlyList<string> images, string imagesArg, int? first)
    {
        if (first is not { } n) return images;
        if (images.Count < n)
            throw new UsageException($"--images {imagesArg} holds {images.Count} images, fewer than --first {n}: give a folder or list with at least {n}, or a smaller --first");
        return [.. images.Take(n)];
    }

    /// <summary>What the descriptors come from: a trimmed model file, or a pretrained backbone alone.</summary>
    sealed record ModelSource(string? Model, Backbone? Backbone, string? Pretrained)
    {
        public static ModelSource Of(string? model, string? backbone, string? pretrained)
        {
            if (model is not null && (backbone is not null || pretrained is not null))
                throw new UsageException("give either --model <trimmed .pth.tar> or --backbone <name> --pretrained <file>, not both");
            if (model is not null)
                return File.Exists(model) ? new ModelSource(model, null, null) : throw new UsageException($"--model {model}: no such file");
            if (backbone is null && pretrained is null)
                throw new UsageException("missing the model: give --model <trimmed .pth.tar>, or --backbone <name> --pretrained <file> for a backbone alone");
            if (backbone is null) throw new UsageException($"--pretrained {pretrained} needs --backbone <{string.Join("|", Backbones.All.Select(b => b.Name))}>: the file's network");
            if (pretrained is null) throw new UsageException($"--backbone {backbone} needs --pretrained <file>: the backbone's pretrained weights");
            Backbone b;
            try { b = Backbones.Get(backbone); }
            catch (RecipeException e) { throw new UsageException($"--backbone: {e.Message}"); }
            return File.Exists(pretrained) ? new ModelSource(null, b, pretrained) : throw new UsageException($"--pretrained {pretrained}: no such file");
        }

        public D2lvNet Load(Profile profile) =>
            Model is not null ? TrimmedModel.Load(Model, profile.Model) : BackboneAlone.Load(Backbone!, profile, Pretrained!);

        public override string ToString() => Model is not null ? $"model {Model}" : $"{Backbone!.Name} backbone alone from {Pretrained}";

        /// <summary>What descriptors of these images at this size are made from: a resumed run must have the same.</summary>
        public string Identity(Profile profile, IReadOnlyList<string> images, int size) => System.Text.Json.JsonSerializer.Serialize(new
        {
            model = Model is not null ? Isc.Artifacts.Fingerprint.OfFile(Model) : null,
            backbone = Backbone?.Name,
            pretrained = Pretrained is not null ? Isc.Artifacts.Fingerprint.OfFile(Pretrained) : null,
            settings = Isc.Artifacts.Fingerprint.OfText(System.Text.Json.JsonSerializer.Serialize(new { profile.Model, profile.Training.Seed })),
            size,
            images = Isc.Artifacts.Fingerprint.OfText(string.Join("\n", images)),
        });
    }
}
