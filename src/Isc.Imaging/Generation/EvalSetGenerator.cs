using System.Globalization;
using Isc.Artifacts;
using Isc.Imaging.Assets;
using Isc.Imaging.Augmentations;
using Isc.Imaging.Pixels;
using Isc.Imaging.Randomness;
using Isc.Imaging.Synthetic;
using Isc.Recipe;
using Isc.Recipe.Chains;
using Isc.Recipe.Layouts;
using SkiaSharp;

namespace Isc.Imaging.Generation;

/// <summary>Everything one evaluation-set drawing needs.</summary>
/// <param name="PhotoFont">The font of the words drawn into the synthetic photos (null: Skia's default).</param>
/// <param name="TextFont">The query chain's text overlay font.</param>
/// <param name="OverlayDirectory">Backgrounds of the overlay step: the first <c>Backgrounds</c> images of this folder; null: drawn into <c>backgrounds/</c>.</param>
public sealed record EvalSetRequest(EvalSetSettings Settings, string OutputDirectory, string? PhotoFont, string TextFont,
    string EmojiDirectory, string? OverlayDirectory, int Jobs)
{
    public string StatePath => Path.Combine(OutputDirectory, ".eval-set-settings.json");
}

/// <summary>
/// Draws a copy-detection evaluation set (<see cref="EvalSetFolder"/>): references are new synthetic photos (seed
/// <c>Seed</c>), copy queries are query-chain draws from references, distractor queries query-chain draws from other
/// synthetic photos (seed <c>Seed + 1</c>); backgrounds of the overlay step are drawn with <c>Seed + 2</c> unless a folder
/// is given. Every file is a pure function of the settings and the asset files, written atomically; the ground truth,
/// then the manifest go last. An interrupted run resumes (a file on disk is complete); a folder drawn with other
/// settings is cleared and started over.
/// </summary>
public sealed class EvalSetGenerator(EvalSetRequest request, TextWriter log)
{
    const string QueryStream = "eval-query";

    public void Run(CancellationToken cancel = default)
    {
        var s = request.Settings;
        var root = request.OutputDirectory;
        var chain = EvalChains.Query;
        var plan = EvalSetPlan.Build(s);
        var ownBackgrounds = request.OverlayDirectory is null;
        var fingerprint = Fingerprint(chain);
        PrepareOutput(fingerprint);

        var folders = new[] { EvalSetFolder.References(root), EvalSetFolder.Queries(root), EvalSetFolder.Backgrounds(root) };
        var wanted = new Dictionary<string, HashSet<string>>
        {
            [folders[0]] = Names(s.References, EvalSetFolder.ReferenceId),
            [folders[1]] = Names(s.Queries, EvalSetFolder.QueryId),
            [folders[2]] = ownBackgrounds ? Names(s.Backgrounds, EvalSetFolder.BackgroundId) : [],
        };
        var manifestPath = EvalSetFolder.Manifest(root);
        if (File.Exists(manifestPath) && wanted.All(w => w.Value.All(n => File.Exists(Path.Combine(w.Key, n)))) &&
            File.Exists(EvalSetFolder.GroundTruth(root)))
        {
            log.WriteLine($"eval set: already complete ({s.References} references, {s.Queries} queries); manifest {manifestPath}");
            return;
        }
        // From here the folder is being changed: no manifest may claim it complete until the new one is written.
        File.Delete(manifestPath);
        var cleaned = 0;
        foreach (var folder in folders)
        {
            Directory.CreateDirectory(folder);
            cleaned += AtomicFile.CleanTemps(folder);
            RemoveStrays(folder, wanted[folder]);
        }
        if (!ownBackgrounds) Directory.Delete(folders[2], recursive: true);
        log.WriteLine($"eval set: {s.References} references, {s.CopyQueries} copy queries and {s.DistractorQueries} distractor queries " +
                      $"({s.ImageWidth}x{s.ImageHeight} photos, queries {s.QuerySize} px), backgrounds " +
                      (ownBackgrounds ? $"drawn ({s.Backgrounds})" : $"from {request.OverlayDirectory} (the first {s.Backgrounds})") +
                      $", seed {s.Seed}, {request.Jobs} jobs" + (cleaned > 0 ? $"; removed {cleaned} partial file(s) of an interrupted run" : ""));

        var total = (ownBackgrounds ? s.Backgrounds : 0) + (long)s.References + s.Queries;
        using var typeface = SyntheticPhotos.LoadTypeface(request.PhotoFont);
        using var progress = new Progress(log, "eval set", total, TimeSpan.FromSeconds(5));
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, request.Jobs), CancellationToken = cancel };

        if (ownBackgrounds)
            Unwrapped(() => Parallel.For(0, s.Backgrounds, options, i => WritePhoto(
                Path.Combine(folders[2], EvalSetFolder.FileName(EvalSetFolder.BackgroundId(i))), i, s.Seed + 2, typeface, progress)));
        Unwrapped(() => Parallel.For(0, s.References, options, i => WritePhoto(
            Path.Combine(folders[0], EvalSetFolder.FileName(EvalSetFolder.ReferenceId(i))), i, s.Seed, typeface, progress)));

        var context = new AugmentationContext(s.QuerySize,
            OverlayLibrary.Open(request.OverlayDirectory ?? folders[2], s.Backgrounds),
            EmojiLibrary.Open(request.EmojiDirectory), TextRenderer.Open(request.TextFont));
        var bad = context.Overlays.FindUnreadable();
        if (bad.Count > 0)
            throw new GenerationInputException($"{bad.Count} background image(s) cannot be read: {string.Join("; ", bad.Take(5))}");
        var compiled = new CompiledChain(chain, context);
        Unwrapped(() => Parallel.ForEach(plan, options, q =>
        {
            var path = Path.Combine(folders[1], EvalSetFolder.FileName(q.Id));
            if (File.Exists(path)) { progress.AddSkipped(1); return; }
            using var source = SyntheticPhotos.RenderRgb(q.Source, s.ImageWidth, s.ImageHeight, q.IsCopy ? s.Seed : s.Seed + 1, typeface);
            using var query = compiled.Apply(source, ImageRandom.For(QueryStream, q.Index, 0, s.Seed));
            if (query.IsCmyk) PillowCmyk.ToRgbInPlace(query); // the chain ends at the resize: a CMYK background's result is still CMYK
            AtomicFile.Write(path, ImageCodec.EncodeJpeg(query, s.JpegQuality));
            progress.Add(1);
        }));
        progress.Report();
        cancel.ThrowIfCancellationRequested();

        AtomicFile.WriteText(EvalSetFolder.GroundTruth(root), EvalSetPlan.GroundTruthCsv(plan));
        var manifest = DirectoryManifest.Build(root);
        manifest.Save(manifestPath);
        log.WriteLine($"eval set: complete, {progress.Produced} images made in {progress.Elapsed:hh\\:mm\\:ss} " +
                      $"({total - progress.Produced} already present); {s.CopyQueries} ground-truth pairs in {EvalSetFolder.GroundTruth(root)}; manifest {manifestPath}");
    }

    void WritePhoto(string path, int index, int seed, SKTypeface typeface, Progress progress)
    {
        if (File.Exists(path)) { progress.AddSkipped(1); return; }
        using var image = SyntheticPhotos.RenderRgb(index, request.Settings.ImageWidth, request.Settings.ImageHeight, seed, typeface);
        AtomicFile.Write(path, ImageCodec.EncodeJpeg(image, request.Settings.JpegQuality));
        progress.Add(1);
    }

    /// <summary>A failure inside a parallel worker surfaces as itself (an IOException names its file), not as the wrapper.</summary>
    static void Unwrapped(Func<ParallelLoopResult> loop)
    {
        try { loop(); }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    static HashSet<string> Names(int count, Func<int, string> id) =>
        [.. Enumerable.Range(0, count).Select(i => EvalSetFolder.FileName(id(i)))];

    /// <summary>What the files depend on besides the code: the settings, the chain, the fonts, the emoji set and the backgrounds.</summary>
    SortedDictionary<string, string> Fingerprint(Chain chain)
    {
        var d = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["engine"] = StepVersions.SynthEvalSet.ToString(CultureInfo.InvariantCulture),
            ["chain"] = chain.Describe(),
            ["photo-font"] = request.PhotoFont is { } f && File.Exists(f) ? $"{Path.GetFileName(f)} ({new FileInfo(f).Length} bytes)" : "(default)",
            ["text-font"] = $"{Path.GetFileName(request.TextFont)} ({(File.Exists(request.TextFont) ? new FileInfo(request.TextFont).Length : 0)} bytes)",
            ["emoji"] = Path.GetFileName(Path.TrimEndingDirectorySeparator(request.EmojiDirectory)),
            ["backgrounds"] = request.OverlayDirectory is null ? "drawn" : BackgroundsHash(request.OverlayDirectory),
        };
        foreach (var (k, v) in SettingsParams.ToParams(request.Settings, "evalset.")) d[k] = v;
        return d;
    }

    string BackgroundsHash(string directory)
    {
        var library = OverlayLibrary.Open(directory, request.Settings.Backgrounds);
        var lines = Enumerable.Range(0, library.Count).Select(i => $"{Path.GetFileName(library.PathOf(i))} {Isc.Artifacts.Fingerprint.OfFile(library.PathOf(i))}");
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines))));
    }

    /// <summary>
    /// A folder drawn with other settings (seed, counts, sizes, chain, fonts, backgrounds) is cleared and started over,
    /// so no file of the old set survives; a folder with set files but no settings file (not made here) is refused.
    /// </summary>
    void PrepareOutput(SortedDictionary<string, string> fingerprint)
    {
        var root = request.OutputDirectory;
        if (File.Exists(request.StatePath))
        {
            var diff = GenerationFingerprint.Differences(request.StatePath, fingerprint);
            if (diff.Count == 0) return;
            log.WriteLine($"eval set: '{root}' was drawn with other settings ({string.Join(", ", diff)} differ); removing it and starting over");
            File.Delete(EvalSetFolder.Manifest(root));
            File.Delete(EvalSetFolder.GroundTruth(root));
            foreach (var folder in new[] { EvalSetFolder.References(root), EvalSetFolder.Queries(root), EvalSetFolder.Backgrounds(root) })
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        else if (new[] { EvalSetFolder.References(root), EvalSetFolder.Queries(root) }.Any(f => Directory.Exists(f) && Directory.EnumerateFileSystemEntries(f).Any()))
        {
            throw new GenerationInputException(
                $"'{root}' holds evaluation images this command did not make (no {Path.GetFileName(request.StatePath)} beside them); remove them or choose another --out");
        }
        Directory.CreateDirectory(root);
        AtomicFile.WriteText(request.StatePath, GenerationFingerprint.ToJson(fingerprint));
    }

    /// <summary>Files in a set folder that are not files of this set (copied in, or left by a larger set): the evaluation takes every image it finds.</summary>
    void RemoveStrays(string folder, HashSet<string> wanted)
    {
        var strays = StrayFiles.Remove(folder, wanted);
        if (strays.Count > 0)
            log.WriteLine($"eval set: removed {strays.Count} file(s) of {folder} that are not files of this set, e.g. {string.Join(", ", strays.Take(3))}");
    }
}
