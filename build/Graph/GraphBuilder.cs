using Isc.Artifacts;
using Isc.Recipe;
using Isc.Recipe.Layouts;

namespace Isc.Build.Graph;

/// <summary>
/// Turns the recipe catalog into the build graph of one profile: every input, dataset, backbone,
/// training and trimmed model as a rule (inputs, outputs, one worker step). The build tasks, the plan,
/// the help text and the executors all read this graph; nothing else decides what depends on what.
/// </summary>
public sealed partial class GraphBuilder(BuildSettings settings)
{
    /// <summary>The profile with the Source./Overlays. overrides: the settings of every artifact without settings of its own.</summary>
    readonly Profile _p = SettingOverrides.WithSource(settings.Profile, settings.Sets);
    readonly List<ArtifactNode> _nodes = [];
    readonly StampStore _stamps = new(settings.ArtifactsRoot);

    public const string SourceId = SettingOverrides.SourceTarget;
    public const string OverlaysId = SettingOverrides.OverlaysTarget;
    public const string AssetsId = "Assets";
    public const string FontId = "Font";
    public const string EmojiId = "Emoji";
    public const string FacesId = "Faces";

    public static BuildGraph Build(BuildSettings settings) => new GraphBuilder(settings).BuildAll();

    string Abs(string relative) => Path.Combine(settings.ArtifactsRoot, relative);

    BuildGraph BuildAll()
    {
        AddSource();
        AddOverlays();
        AddAssets();
        AddFaces();
        foreach (var d in Datasets.All) AddDataset(d);
        foreach (var b in Backbones.All) AddPretrained(b);
        foreach (var r in Runs.All) { AddTraining(r); AddModel(r); }
        AddEvaluation();
        return new BuildGraph(_nodes);
    }

    // ---- inputs -------------------------------------------------------------------------------

    string SourceImages => _p.Source.Synthetic ? Abs("source/images") : settings.TrainImages ?? "";

    void AddSource()
    {
        if (_p.Source.Synthetic)
        {
            _nodes.Add(new ArtifactNode
            {
                Id = SourceId, Kind = ArtifactKind.Source, Description = $"{_p.Source.TrainingImages} synthetic training images (demo stand-in for DISC21)",
                Params = SynthParams(_p.Source.TrainingImages, _p.Source.Seed),
                Step = "synth-images", StepVersion = StepVersions.SynthImages,
                Settings = _p,
                Commands = [["synth-images", "--kind", "training", .. SettingsArgs(SourceId), "--out", Abs("source"), .. Jobs()]],
                Outputs = [new("source/images", OutputKind.Directory), new("source/manifest.json", OutputKind.File)],
            });
            return;
        }
        _nodes.Add(External(SourceId, ArtifactKind.Source, new ExternalInput("DISC21 training images", settings.TrainImages, true,
            "inputs.trainImages in isc.json (or isc.local.json), or --train-images=DIR",
            "The 1,000,000 DISC21 training JPEGs (T000000.jpg ... T999999.jpg) are licence-gated: request them from the ISC 2021 / DISC21 release, unpack them into one folder, and point the setting at it.",
            MinFiles: _p.Source.IdStride)));
    }

    string OverlayImages => settings.OverlayImages ?? Abs("overlays/images");

    void AddOverlays()
    {
        if (_p.Source.Synthetic)
        {
            _nodes.Add(new ArtifactNode
            {
                Id = OverlaysId, Kind = ArtifactKind.Overlays, Description = $"{_p.Source.OverlayImages} synthetic overlay images",
                Params = SynthParams(_p.Source.OverlayImages, _p.Source.Seed + 1),
                Step = "synth-images", StepVersion = StepVersions.SynthImages,
                Settings = _p,
                Commands = [["synth-images", "--kind", "overlay", .. SettingsArgs(OverlaysId), "--out", Abs("overlays"), .. Jobs()]],
                Outputs = [new("overlays/images", OutputKind.Directory), new("overlays/manifest.json", OutputKind.File)],
            });
            return;
        }
        if (settings.OverlayImages is not null)
        {
            _nodes.Add(External(OverlaysId, ArtifactKind.Overlays, new ExternalInput("overlay images", settings.OverlayImages, true,
                "inputs.overlayImages in isc.json, or --overlay-images=DIR",
                $"Any folder of at least {_p.Source.OverlayImages:N0} natural photos works; or remove the setting and the build downloads the published OpenImages subset.",
                MinFiles: _p.Source.OverlayImages)));
            return;
        }
        var archive = Abs($"downloads/{Assets.OverlayImages.FileName}");
        _nodes.Add(new ArtifactNode
        {
            Id = OverlaysId, Kind = ArtifactKind.Overlays, Description = "published overlay images (OpenImages subset), downloaded and extracted",
            Inputs = UserFile(OverlaysId),
            Params = new(StringComparer.Ordinal) { ["source"] = OverlaySource, ["minImages"] = _p.Source.OverlayImages.ToString() },
            Step = "fetch-overlays", StepVersion = StepVersions.FetchOverlays,
            Commands =
            [
                [.. Download(OverlaysId, OverlaySource, archive)],
                ["extract", "--zip", archive, "--out", Abs("overlays/images")],
                ["manifest", "--dir", Abs("overlays/images"), "--out", Abs("overlays/manifest.json"), "--min-files", _p.Source.OverlayImages.ToString()],
                Pin(OverlaysId, OverlaySource, archive),
            ],
            Outputs = [new("overlays/images", OutputKind.Directory), new("overlays/manifest.json", OutputKind.File)],
            State = DownloadState($"downloads/{Assets.OverlayImages.FileName}"),
        });
    }

    string OverlaySource => settings.Urls.GetValueOrDefault(OverlaysId) ?? Assets.OverlayImages.Sources().First();

    string FontPath => _p.Assets.FontFile ?? Abs("assets/fonts/NotoNaskhArabic-Regular.ttf");
    string EmojiPath => _p.Assets.EmojiDirectory ?? Abs("assets/smileys");

    IEnumerable<string> AssetInputs => _p.Assets.FontFile is not null ? [FontId, EmojiId] : [AssetsId];

    void AddAssets()
    {
        if (_p.Assets.FontFile is not null)
        {
            _nodes.Add(External(FontId, ArtifactKind.Asset, new ExternalInput("overlay text font", _p.Assets.FontFile, false,
                $"the {_p.Name} profile's AssetSettings.FontFile", "On Debian/Ubuntu: apt-get install fonts-noto-core (the recipe's own NotoNaskhArabic-Regular.ttf).")));
            _nodes.Add(External(EmojiId, ArtifactKind.Asset, new ExternalInput("emoji images", _p.Assets.EmojiDirectory, true,
                $"the {_p.Name} profile's AssetSettings.EmojiDirectory", "On Debian/Ubuntu: apt-get install ruby-tanuki-emoji.")));
            return;
        }
        _nodes.Add(new ArtifactNode
        {
            Id = AssetsId, Kind = ArtifactKind.Assets, Description = "AugLy's NotoNaskhArabic font and 92 Twemoji smileys (text and emoji overlays)",
            Step = "fetch-assets", StepVersion = StepVersions.FetchAssets,
            Commands =
            [
                ["fetch-assets", "--out", Abs("assets"), "--lock", settings.DownloadsLock],
                ["manifest", "--dir", Abs("assets"), "--out", Abs("assets.manifest.json")],
            ],
            Outputs = [new("assets", OutputKind.Directory), new("assets.manifest.json", OutputKind.File)],
        });
    }

    void AddFaces()
    {
        if (settings.Faces is not null)
        {
            _nodes.Add(External(FacesId, ArtifactKind.Faces, new ExternalInput("face image list", settings.Faces, false,
                "inputs.faces in isc.json", "A text file of training image names with faces, one per line; remove the setting to detect faces instead.")));
            return;
        }
        _nodes.Add(new ArtifactNode
        {
            Id = FacesId, Kind = ArtifactKind.Faces, Description = "training images that contain faces (for the ff datasets)",
            Inputs = [SourceId],
            Step = "faces", StepVersion = StepVersions.Faces,
            Commands = [["faces", "--profile", _p.Name, "--source", SourceImages, "--out", Abs("faces/faces.txt")]],
            Outputs = [new("faces/faces.txt", OutputKind.File)],
        });
    }

    // ---- datasets, backbones, runs ---------------------------------------------------------------

    public static string DatasetDir(Dataset d) => DatasetFolder.RelativePath(d);

    void AddDataset(Dataset d)
    {
        var resolved = SettingOverrides.Resolve(settings.Profile, settings.Sets, d.Target);
        var inputs = new List<string> { SourceId, OverlaysId };
        inputs.AddRange(AssetInputs);
        if (d.AddsFaceIdentities) inputs.Add(FacesId);
        var dir = DatasetDir(d);
        var parameters = SettingsParams.ToParams(resolved.Generation, "generation.");
        // Recorded only when overridden: datasets stamped before this parameter existed were made with the catalog's
        // value, and a new key alone would make every built dataset (2,000,000 images each) stale.
        if (resolved.Source.TrainingImages != settings.Profile.Source.TrainingImages)
            parameters["source.trainingImages"] = SettingsParams.Format(resolved.Source.TrainingImages);
        parameters["source.idStride"] = SettingsParams.Format(resolved.Source.IdStride);
        parameters["source.overlayImages"] = SettingsParams.Format(resolved.Source.OverlayImages);
        parameters["chain"] = ChainDescription.Of(d);

        if (settings.DownloadDatasets && !_p.Source.Synthetic)
        {
            var zip = Abs($"downloads/{d.Name}.zip");
            var source = settings.Urls.GetValueOrDefault(d.Target) ?? $"gdrive:{d.Published.DriveId}";
            _nodes.Add(new ArtifactNode
            {
                Id = d.Target, Kind = ArtifactKind.Dataset, Description = $"{d.Name}: published zip ({d.Variant})",
                Inputs = UserFile(d.Target),
                Params = new(StringComparer.Ordinal) { ["source"] = source },
                Step = "download-dataset", StepVersion = StepVersions.DownloadDataset,
                Settings = resolved,
                Commands =
                [
                    [.. Download(d.Target, source, zip)],
                    ["extract", "--zip", zip, "--out", Abs(dir), "--expect-dataset", d.Name, .. SettingsArgs(d.Target)],
                    ["manifest", "--dir", Abs(dir), "--out", Abs($"{dir}.manifest.json")],
                    Pin(d.Target, source, zip),
                ],
                Outputs = [new(dir, OutputKind.Directory), new($"{dir}.manifest.json", OutputKind.File)],
                State = DownloadState($"downloads/{d.Name}.zip"),
            });
            return;
        }
        List<string> command =
        [
            "generate", .. SettingsArgs(d.Target), "--dataset", d.Name, "--source", SourceImages, "--overlays", OverlayImages,
            "--out", Abs(dir), "--font", FontPath, "--emoji", EmojiPath,
        ];
        if (d.AddsFaceIdentities) command.AddRange(["--faces", settings.Faces ?? Abs("faces/faces.txt")]);
        command.AddRange(Jobs());
        _nodes.Add(new ArtifactNode
        {
            Id = d.Target, Kind = ArtifactKind.Dataset, Description = $"{d.Name}: {d.Variant}",
            Inputs = inputs, Params = parameters,
            Step = "generate", StepVersion = StepVersions.Generate, Settings = resolved,
            Commands = [command],
            Outputs = [new(dir, OutputKind.Directory), new($"{dir}/{DatasetFolder.ManifestFileName}", OutputKind.File)],
        });
    }

    public static string PretrainedPath(Backbone b) => $"pretrained/{b.PretrainedFileName}";

    void AddPretrained(Backbone b)
    {
        var output = PretrainedPath(b);
        List<List<string>> commands;
        // The same rule the trainer applies (enough of this backbone's weights match by name and shape), so a wrong file
        // fails here, names itself, and is never pinned.
        List<string> check = ["check-pretrained", .. SettingsArgs(b.Target), "--backbone", b.Name, "--file", Abs(output)];
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["file"] = b.PretrainedFileName, ["format"] = b.PretrainedFormat.ToString() };
        if (_p.Source.Synthetic && !settings.Files.ContainsKey(b.Target))
        {
            commands = [["synth-pretrained", .. SettingsArgs(b.Target), "--backbone", b.Name, "--out", Abs(output)], check];
            foreach (var (k, v) in SettingsParams.ToParams(_p.Model, "model.")) parameters[k] = v;
        }
        else
        {
            // A file of your own (--file:Pretrained:<backbone>=PATH) is imported in every profile; it must match the profile's widths.
            var source = settings.Files.ContainsKey(b.Target) ? "file" : settings.Urls.GetValueOrDefault(b.Target) ?? b.Published.Sources().First();
            commands = [[.. Download(b.Target, source, Abs(output))], check, Pin(b.Target, source, Abs(output))];
            parameters["source"] = source;
        }
        _nodes.Add(new ArtifactNode
        {
            Id = b.Target, Kind = ArtifactKind.Pretrained, Description = $"{b.PretrainedFileName} ({b.Description})",
            Inputs = UserFile(b.Target),
            Params = parameters, Step = "pretrained", StepVersion = StepVersions.Pretrained, Settings = _p,
            Commands = commands, Outputs = [new(output, OutputKind.File)], State = DownloadState(output),
        });
    }

    /// <summary>The settings a run trains with: the profile's, with the source overrides, Trainings. and then its own.</summary>
    Profile SettingsOf(Run r) => SettingOverrides.Resolve(settings.Profile, settings.Sets, r.TrainTarget);

    public string FinalCheckpoint(Run r) => $"{r.LogDirectory}/{Run.CheckpointFileName(SettingsOf(r).Training.Epochs - 1)}";

    void AddTraining(Run r)
    {
        var resolved = SettingsOf(r);
        var parameters = SettingsParams.ToParams(resolved.Training, "training.");
        foreach (var (k, v) in SettingsParams.ToParams(resolved.Model, "model.")) parameters[k] = v;
        parameters["backbone"] = r.Backbone.Name;
        List<string> command =
        [
            "train", .. SettingsArgs(r.TrainTarget), "--run", r.Name, "--dataset", Abs(DatasetDir(r.Dataset)),
            "--pretrained", Abs(PretrainedPath(r.Backbone)), "--out", Abs(r.LogDirectory),
        ];
        if (settings.Device is not null) command.AddRange(["--device", settings.Device]);
        _nodes.Add(new ArtifactNode
        {
            Id = r.TrainTarget, Kind = ArtifactKind.Training, Description = $"{r.Name}: {r.Backbone.Name} on {r.Dataset.Name}",
            Inputs = [r.Dataset.Target, r.Backbone.Target], Params = parameters,
            Step = "train", StepVersion = StepVersions.Train, UsesGpu = true, Settings = resolved,
            Commands = [command], Outputs = [new(FinalCheckpoint(r), OutputKind.File)], State = [r.LogDirectory],
        });
    }

    void AddModel(Run r) => _nodes.Add(new ArtifactNode
    {
        Id = r.ModelTarget, Kind = ArtifactKind.Model, Description = $"{r.TrimmedModelPath} (final checkpoint without the classifier)",
        Inputs = [r.TrainTarget],
        Step = "trim", StepVersion = StepVersions.Trim,
        Commands = [["trim", "--checkpoint", Abs(FinalCheckpoint(r)), "--out", Abs(r.TrimmedModelPath)]],
        Outputs = [new(r.TrimmedModelPath, OutputKind.File)],
    });

    // ---- helpers ---------------------------------------------------------------------------------

    SortedDictionary<string, string> SynthParams(int count, int seed) => new(StringComparer.Ordinal)
    {
        ["count"] = count.ToString(),
        ["width"] = _p.Source.SyntheticWidth.ToString(),
        ["height"] = _p.Source.SyntheticHeight.ToString(),
        ["seed"] = seed.ToString(),
    };

    static ArtifactNode External(string id, ArtifactKind kind, ExternalInput input) => new()
    {
        Id = id, Kind = kind, Description = $"{input.Name} (provided: {input.Path ?? "not set"})", External = input,
    };

    /// <summary>
    /// A file the user gave for an artifact (--file:ARTIFACT=PATH) is an input of it, identified by its content hash, so
    /// giving another file (or changing the file) rebuilds the artifact and everything made from it.
    /// </summary>
    List<string> UserFile(string artifact)
    {
        if (!settings.Files.TryGetValue(artifact, out var path)) return [];
        var id = "File:" + artifact;
        _nodes.Add(External(id, ArtifactKind.File, new ExternalInput($"your file for {artifact}", path, false,
            $"--file:{artifact}=PATH (or inputs.files in isc.json)", "Check the path, or remove the setting to download the published file.")));
        return [id];
    }

    /// <summary>The download command of an artifact; a file the user already has (--file:ARTIFACT=PATH) is verified and used instead.</summary>
    List<string> Download(string artifact, string source, string dest) =>
        settings.Files.TryGetValue(artifact, out var local)
            ? ["download", "file", dest, "--lock", settings.DownloadsLock, "--key", artifact, "--from-file", local]
            : ["download", source, dest, "--lock", settings.DownloadsLock, "--key", artifact];

    /// <summary>What an interrupted download of <paramref name="dest"/> leaves to resume from: the bytes so far and their source.</summary>
    static List<string> DownloadState(string dest) => [dest, dest + ".part", dest + ".part.json"];

    /// <summary>
    /// The last command of a step that downloads or imports a file: records its hash in the lock file, so only a file
    /// that passed every check of the step (download verification, extraction, layout, checkpoint) is ever pinned.
    /// </summary>
    List<string> Pin(string artifact, string source, string dest) =>
        ["pin", "--lock", settings.DownloadsLock, "--key", artifact, "--file", dest, "--source",
            settings.Files.TryGetValue(artifact, out var local) ? "file given by hand: " + local : source];

    /// <summary>Threads of one CPU step: all cores when steps run one at a time, a share when --jobs runs several.</summary>
    IEnumerable<string> Jobs() => settings.Jobs is > 1 and var j ? ["--jobs", Math.Max(1, Environment.ProcessorCount / j).ToString()] : [];

    /// <summary>
    /// A worker reads the artifact's resolved settings (the node's <see cref="ArtifactNode.Settings"/>) from the step spec
    /// the build writes for it, so it runs with exactly what the stamp records; no override is passed again as text.
    /// </summary>
    string[] SettingsArgs(string artifact) => ["--settings", _stamps.SpecPathOf(artifact)];
}
