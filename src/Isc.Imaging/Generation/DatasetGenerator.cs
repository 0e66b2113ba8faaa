using System.Collections.Concurrent;
using Isc.Imaging.Assets;
using Isc.Imaging.Assets.Layout;
using Isc.Imaging.Augmentations;
using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Recipe;
using Isc.Recipe.Chains;

namespace Isc.Imaging.Generation;

/// <summary>
/// Generates one dataset: for every identity, k = 0 (the source resized) and k = 1…N−1 (chain draws), each a pure
/// function of (dataset, id, k, seed) and written atomically; then the contact sheet, then the manifest, last.
/// An interrupted run resumes: images already on disk are kept (an atomic rename means present = complete).
/// Memory: each worker holds one decoded source image and a few output-sized intermediates, independent of the
/// number of identities.
/// </summary>
public sealed class DatasetGenerator(GenerationRequest request, TextWriter log)
{
    /// <summary>The stop-early limit: a broken input rarely fails alone, and a thousand identical errors help nobody.</summary>
    const int MaxFailures = 50;

    public GenerationResult Run(CancellationToken cancel = default)
    {
        var profile = request.Profile;
        var gen = profile.Generation;
        var chain = DatasetChains.For(request.Dataset);
        var names = SourceListing.List(request.SourceDirectory, profile.Source.TrainingImages);
        IReadOnlyList<string>? faces = null;
        if (request.Dataset.AddsFaceIdentities)
        {
            if (request.FacesFile is null)
                throw new GenerationInputException($"{request.Dataset.Name} adds face identities: pass --faces <face list> (made by `isc faces`)");
            faces = IdentityPlan.ReadFaceList(request.FacesFile, names.ToHashSet(StringComparer.Ordinal));
        }
        var plan = IdentityPlan.Build(names, profile.Source, gen, faces);
        var context = request.OpenedAssets ?? new AugmentationContext(gen.OutputSize,
            OverlayLibrary.Open(request.OverlayDirectory, profile.Source.OverlayImages, request.OverlayCacheBytes),
            EmojiLibrary.Open(request.EmojiDirectory), TextRenderer.Open(request.FontFile, TextLayouts.Parse(gen.TextLayout)));
        CheckAssets(context);
        var badOverlays = context.Overlays.FindUnreadable();
        if (badOverlays.Count > 0)
            throw new GenerationInputException($"{badOverlays.Count} overlay image(s) cannot be read: {string.Join("; ", badOverlays.Take(5))}");
        var compiled = new CompiledChain(chain, context);
        var fingerprint = GenerationFingerprint.Of(request, chain, names.Length, context);

        PrepareOutput(fingerprint);
        RemoveStrays(plan);
        var total = (long)plan.Identities.Count * gen.ImagesPerId;
        if (Manifest.IsComplete(request.ManifestPath, fingerprint) && AllImagesPresent(plan))
        {
            log.WriteLine($"{request.Dataset.Name}: already complete ({plan.Identities.Count} ids, {total} images); manifest {request.ManifestPath}");
            return new GenerationResult(plan, total, 0, TimeSpan.Zero);
        }
        var cleaned = AtomicFile.CleanTemps(request.ImagesDirectory);
        log.WriteLine($"{request.Dataset.Name}: {plan.Identities.Count} ids ({plan.BaseIdentities} from every image at a multiple of {profile.Source.IdStride} in name order" +
                      (faces is null ? "" : $", {plan.FaceIdentities} face ids") + $") x {gen.ImagesPerId} images at {gen.OutputSize}px, {request.Jobs} jobs" +
                      (plan.Dropped.Count > 0 ? $"; dropped {plan.Dropped.Count} id(s) for divisibility by {gen.IdentitiesDivisibleBy}: {string.Join(", ", plan.Dropped.Select(d => $"{d.Id} ({d.SourceName})"))}" : "") +
                      (cleaned > 0 ? $"; removed {cleaned} partial file(s) of an interrupted run" : ""));

        var failures = new ConcurrentQueue<string>();
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using var progress = new Progress(log, $"generate {request.Dataset.Name}", total, TimeSpan.FromSeconds(5));
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, request.Jobs), CancellationToken = failed.Token };
        try
        {
            Parallel.ForEach(plan.Identities, options, identity =>
            {
                try { GenerateIdentity(identity, compiled, progress); }
                catch (Exception e) when (e is IOException or InvalidDataException)
                {
                    failures.Enqueue($"id {identity.Id} ({identity.SourceName}): {e.Message}");
                    if (failures.Count >= MaxFailures) failed.Cancel();
                }
            });
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested) { }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // An unexpected failure inside a worker: surface the first one itself, not the wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        progress.Report();
        if (!failures.IsEmpty)
            throw new GenerationInputException(
                $"{request.Dataset.Name} is incomplete: {failures.Count} identit{(failures.Count == 1 ? "y" : "ies")} failed" +
                (failures.Count >= MaxFailures ? " (stopped early)" : "") + ". Fix or replace these source images and run again " +
                "(finished images are kept):\n  " + string.Join("\n  ", failures.Take(20)));
        cancel.ThrowIfCancellationRequested();

        var sheet = ContactSheet.Render(request.ImagesDirectory, 4, gen.ImagesPerId, Math.Min(gen.OutputSize, 96));
        AtomicFile.Write(request.ContactSheetPath, ImageCodec.EncodePng(sheet));
        sheet.Dispose();
        Manifest.Write(request, plan, fingerprint, chain, cancel);
        log.WriteLine($"{request.Dataset.Name}: complete, {progress.Produced} images made in {progress.Elapsed:hh\\:mm\\:ss} " +
                      $"({total - progress.Produced} already present); manifest {request.ManifestPath}");
        return new GenerationResult(plan, total, progress.Produced, progress.Elapsed);
    }

    /// <summary>Libraries handed in by the caller must be the ones this request names.</summary>
    void CheckAssets(AugmentationContext c)
    {
        var gen = request.Profile.Generation;
        if (c.OutputSize != gen.OutputSize || c.Overlays.Count != request.Profile.Source.OverlayImages ||
            Path.GetFullPath(c.Overlays.Directory) != Path.GetFullPath(request.OverlayDirectory) ||
            Path.GetFullPath(c.Emojis.Directory) != Path.GetFullPath(request.EmojiDirectory) ||
            Path.GetFullPath(c.Text.FontFile) != Path.GetFullPath(request.FontFile) || c.Text.Layout != TextLayouts.Parse(gen.TextLayout))
            throw new ArgumentException("the asset libraries passed with the request are not the request's own (folders, font, text layout, overlay count or output size differ)");
    }

    /// <summary>
    /// A folder generated with other settings (a changed seed, chain, size, input count, font …) is cleared and started
    /// over, so no image of the old recipe survives; a folder holding images this command did not make is refused.
    /// The old settings file goes last, so an interrupted clean-up is simply repeated.
    /// </summary>
    void PrepareOutput(SortedDictionary<string, string> fingerprint)
    {
        if (File.Exists(request.StatePath))
        {
            var diff = GenerationFingerprint.Differences(request.StatePath, fingerprint);
            if (diff.Count > 0)
            {
                log.WriteLine($"{request.Dataset.Name}: '{request.OutputDirectory}' was generated with other settings " +
                              $"({string.Join(", ", diff)} differ); removing its images, contact sheet and manifest and starting over");
                File.Delete(request.ManifestPath);
                File.Delete(request.ContactSheetPath);
                if (Directory.Exists(request.ImagesDirectory)) Directory.Delete(request.ImagesDirectory, recursive: true);
                AtomicFile.WriteText(request.StatePath, GenerationFingerprint.ToJson(fingerprint));
            }
        }
        else
        {
            if (Directory.Exists(request.ImagesDirectory) && Directory.EnumerateFileSystemEntries(request.ImagesDirectory).Any())
                throw new GenerationInputException(
                    $"'{request.ImagesDirectory}' holds files this command did not make (no {Path.GetFileName(request.StatePath)} beside it); " +
                    "remove it or choose another --out");
            Directory.CreateDirectory(request.OutputDirectory);
            AtomicFile.WriteText(request.StatePath, GenerationFingerprint.ToJson(fingerprint));
        }
        Directory.CreateDirectory(request.ImagesDirectory);
    }

    /// <summary>
    /// Deletes files in the image folder that are not images of this dataset (a file copied in by hand, an id of an
    /// earlier plan): the trainer takes every {id}_{k}.jpg it finds, so a stray one would become a class of its own.
    /// </summary>
    void RemoveStrays(IdentityPlan plan)
    {
        var planned = plan.Identities
            .SelectMany(i => Enumerable.Range(0, request.Profile.Generation.ImagesPerId).Select(k => GenerationRequest.ImageName(i.Id, k)))
            .ToHashSet(StringComparer.Ordinal);
        var strays = StrayFiles.Remove(request.ImagesDirectory, planned);
        if (strays.Count > 0)
            log.WriteLine($"{request.Dataset.Name}: removed {strays.Count} file(s) that are not images of this dataset, e.g. {string.Join(", ", strays.Take(3))}");
    }

    bool AllImagesPresent(IdentityPlan plan) =>
        plan.Identities.All(i => Enumerable.Range(0, request.Profile.Generation.ImagesPerId)
            .All(k => File.Exists(Path.Combine(request.ImagesDirectory, GenerationRequest.ImageName(i.Id, k)))));

    void GenerateIdentity(Identity identity, CompiledChain chain, Progress progress)
    {
        var gen = request.Profile.Generation;
        var missing = Enumerable.Range(0, gen.ImagesPerId)
            .Where(k => !File.Exists(Path.Combine(request.ImagesDirectory, GenerationRequest.ImageName(identity.Id, k)))).ToList();
        progress.AddSkipped(gen.ImagesPerId - missing.Count);
        if (missing.Count == 0) return;
        // k = 0 resizes and saves the image as opened (a CMYK source stays CMYK); the chain starts from convert("RGB").
        using var opened = ImageCodec.DecodeAsOpened(Path.Combine(request.SourceDirectory, identity.SourceName), (_, _) => (0, 0), out _, out _, out var mode);
        using var converted = opened.IsCmyk ? opened.Clone() : null;
        if (converted is not null) PillowCmyk.ToRgbInPlace(converted);
        var source = converted ?? opened;
        foreach (var k in missing)
        {
            using var image = Render(chain, k == 0 ? opened : source, request.Dataset.Name, identity.Id, k, gen.Seed);
            AtomicFile.Write(Path.Combine(request.ImagesDirectory, GenerationRequest.ImageName(identity.Id, k)),
                ImageCodec.EncodeJpeg(image, gen.JpegQuality, k == 0 ? chain.OriginalMode(mode) : PillowMode.Rgb));
            progress.Add(1);
        }
    }

    /// <summary>
    /// Image k of an identity: a pure function of (dataset, id, k, seed) and the source (for k = 0 as opened, CMYK
    /// included; for a chain draw RGB).
    /// </summary>
    public static RgbImage Render(CompiledChain chain, RgbImage source, string dataset, int id, int k, int seed) =>
        k == 0 ? chain.Original(source) : chain.Apply(source, ImageRandom.For(dataset, id, k, seed));
}

public sealed record GenerationResult(IdentityPlan Plan, long Images, long Produced, TimeSpan Elapsed);
