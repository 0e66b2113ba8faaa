using Isc.Artifacts;
using Isc.Recipe;
using Isc.Recipe.Layouts;

namespace Isc.Build.Graph;

/// <summary>
/// The evaluation half of the graph: the evaluation set, and for every evaluated model (a run's trimmed model, the
/// authors' published model of a run, a pretrained backbone alone) its descriptors of the set, its PCA whitening and its
/// predictions with their metrics; then the comparison of rebuilt and published models. One protocol for all of them:
/// the profile's <see cref="EvaluationSettings"/> with the <c>Evaluation.</c> overrides.
/// </summary>
public sealed partial class GraphBuilder
{
    public const string ComparisonId = "Compare";

    /// <summary>A model the evaluation measures: its folder name in eval/&lt;set&gt;/, the artifact that makes it, how isc features loads it.</summary>
    sealed record EvaluatedModel(string Name, string Key, string Artifact, string[] LoadArgs)
    {
        public string FeaturesId(string set) => $"{ArtifactKinds.FeaturesPrefix}{Key}:{set}";
        public string PcaId => ArtifactKinds.PcaPrefix + Key;
        public string EvalId => ArtifactKinds.EvalPrefix + Key;
    }

    Profile? _evaluationSettings;

    /// <summary>The settings every evaluation artifact is made with: the profile's, with the source and Evaluation. overrides.</summary>
    Profile E => _evaluationSettings ??= SettingOverrides.Resolve(settings.Profile, settings.Sets, SettingOverrides.EvaluationTarget);

    string EvalSet => E.Evaluation.Set;
    string EvalSetId => ArtifactKinds.EvalSetPrefix + EvalSet;
    string EvalDir => EvaluationFolder.RelativePath(EvalSet);

    public static string PublishedPath(Run r) => $"published/{r.TrimmedModelPath}";

    void AddEvaluation()
    {
        if (E.EvalSet is null) AddDiscEvalSet();
        else AddEvalSet();
        foreach (var b in Backbones.All)
            AddEvaluated(new EvaluatedModel(EvaluationFolder.PretrainedModelName(b), b.Target, b.Target,
                ["--backbone", b.Name, "--pretrained", Abs(PretrainedPath(b))]));
        foreach (var r in Runs.All)
        {
            AddEvaluated(new EvaluatedModel(EvaluationFolder.ModelName(r), r.Name, r.ModelTarget, ["--model", Abs(r.TrimmedModelPath)]));
            AddPublished(r);
            AddEvaluated(new EvaluatedModel(EvaluationFolder.PublishedModelName(r), r.PublishedTarget, r.PublishedTarget, ["--model", Abs(PublishedPath(r))]));
        }
        AddComparison();
    }

    void AddEvalSet()
    {
        if (EvalSet != "demo")
            throw new RecipeException($"Evaluation.set={EvalSet}: the {E.Name} profile draws its own evaluation set, 'demo'");
        var dir = EvalDir;
        var drawn = E.EvalSet!;
        _nodes.Add(new ArtifactNode
        {
            Id = EvalSetId, Kind = ArtifactKind.EvalSet,
            Description = $"the demo evaluation set: {drawn.References} references, {drawn.CopyQueries} copies and {drawn.DistractorQueries} distractors as queries",
            Inputs = [.. AssetInputs],
            Params = SettingsParams.ToParams(drawn, "evalSet."),
            Step = "synth-eval-set", StepVersion = StepVersions.SynthEvalSet,
            Commands = [["synth-eval-set", .. SettingsArgs(EvalSetId), "--out", Abs(dir), "--font", FontPath, "--emoji", EmojiPath, .. Jobs()]],
            Settings = E,
            Outputs =
            [
                new($"{dir}/{EvalSetFolder.ReferencesFolder}", OutputKind.Directory), new($"{dir}/{EvalSetFolder.QueriesFolder}", OutputKind.Directory),
                new($"{dir}/{EvalSetFolder.BackgroundsFolder}", OutputKind.Directory),
                new($"{dir}/{EvaluationFolder.GroundTruthFileName}", OutputKind.File), new($"{dir}/{EvalSetFolder.ManifestFileName}", OutputKind.File),
            ],
        });
    }

    public const string QueriesId = "Queries", ReferencesId = "References";

    /// <summary>A DISC21 set (paper): the user's query and reference folders, the challenge's lists and ground truth downloaded and pinned.</summary>
    void AddDiscEvalSet()
    {
        if (EvalSet == "demo")
            throw new RecipeException($"Evaluation.set=demo: the {E.Name} profile evaluates on DISC21 images, set subset1 or dev25k");
        var set = DiscEvalSets.Get(EvalSet);
        _nodes.Add(External(QueriesId, ArtifactKind.EvalSet, new ExternalInput("DISC21 development query images", settings.QueryImages, true,
            "inputs.queryImages in isc.json (or isc.local.json), or --query-images=DIR",
            "The DISC21 development queries (Q00000.jpg ... Q49999.jpg) are licence-gated: request them from the ISC 2021 / DISC21 release, unpack them into one folder, and point the setting at it.")));
        _nodes.Add(External(ReferencesId, ArtifactKind.EvalSet, new ExternalInput("DISC21 reference images", settings.ReferenceImages, true,
            "inputs.referenceImages in isc.json (or isc.local.json), or --reference-images=DIR",
            "The 1,000,000 DISC21 references (R000000.jpg ... R999999.jpg) are licence-gated: request them from the ISC 2021 / DISC21 release, unpack them into one folder, and point the setting at it.")));
        var dir = EvalDir;
        string Local(PublishedFile f) => Abs($"downloads/isc2021/{f.FileName}");
        string Key(PublishedFile f) => $"{set.Target}/{f.FileName}";
        List<string> evalSet =
        [
            "eval-set", "--queries", settings.QueryImages ?? "", "--references", settings.ReferenceImages ?? "",
            "--ground-truth", Local(set.GroundTruth), "--out", Abs(dir),
        ];
        if (set.QueryList is { } ql) evalSet.AddRange(["--query-list", Local(ql)]);
        if (set.ReferenceList is { } rl) evalSet.AddRange(["--reference-list", Local(rl)]);
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in set.Files) parameters["source." + f.FileName] = f.Sources().First();
        _nodes.Add(new ArtifactNode
        {
            Id = set.Target, Kind = ArtifactKind.EvalSet, Description = $"{set.Name}: {set.Description}",
            Inputs = [QueriesId, ReferencesId], Params = parameters,
            Step = "eval-set", StepVersion = StepVersions.EvalSet,
            Commands =
            [
                .. set.Files.Select(f => new List<string> { "download", f.Sources().First(), Local(f), "--lock", settings.DownloadsLock, "--key", Key(f) }),
                evalSet,
                .. set.Files.Select(f => new List<string> { "pin", "--lock", settings.DownloadsLock, "--key", Key(f), "--file", Local(f), "--source", f.Sources().First() }),
            ],
            Outputs =
            [
                new($"{dir}/{EvalSetFolder.QueryListFileName}", OutputKind.File), new($"{dir}/{EvalSetFolder.ReferenceListFileName}", OutputKind.File),
                new($"{dir}/{EvaluationFolder.GroundTruthFileName}", OutputKind.File),
            ],
            State = [.. set.Files.SelectMany(f => DownloadState($"downloads/isc2021/{f.FileName}"))],
        });
    }

    string QueryImages => E.EvalSet is null ? Abs($"{EvalDir}/{EvalSetFolder.QueryListFileName}") : Abs($"{EvalDir}/{EvalSetFolder.QueriesFolder}");
    string ReferenceImages => E.EvalSet is null ? Abs($"{EvalDir}/{EvalSetFolder.ReferenceListFileName}") : Abs($"{EvalDir}/{EvalSetFolder.ReferencesFolder}");

    /// <summary>The parameters every descriptor of a model depends on: the network's widths and the image size.</summary>
    SortedDictionary<string, string> DescriptorParams(EvaluatedModel m)
    {
        var parameters = SettingsParams.ToParams(E.Model, "model.");
        parameters["size"] = SettingsParams.Format(E.Training.InputSize);
        parameters["batch"] = SettingsParams.Format(E.Evaluation.BatchSize);
        parameters["model"] = m.Name;
        return parameters;
    }

    void AddEvaluated(EvaluatedModel m)
    {
        var features = FeaturesFolder.SetRelativePath(EvalSet, m.Name);
        var featuresId = m.FeaturesId(EvalSet);
        _nodes.Add(new ArtifactNode
        {
            Id = featuresId, Kind = ArtifactKind.Features, Description = $"{m.Name}: descriptors of the {EvalSet} queries and references",
            Inputs = [m.Artifact, EvalSetId], Params = DescriptorParams(m),
            Step = "features", StepVersion = StepVersions.Features, UsesGpu = true, Settings = E,
            Commands =
            [
                ["features", .. SettingsArgs(featuresId), .. m.LoadArgs, "--images", QueryImages, "--out", Abs($"{features}/{FeaturesFolder.QueriesFileName}"), .. Device()],
                ["features", .. SettingsArgs(featuresId), .. m.LoadArgs, "--images", ReferenceImages, "--out", Abs($"{features}/{FeaturesFolder.ReferencesFileName}"), .. Device()],
            ],
            Outputs = [.. DescriptorOutputs($"{features}/{FeaturesFolder.QueriesFileName}"), .. DescriptorOutputs($"{features}/{FeaturesFolder.ReferencesFileName}")],
            State = [.. PartialState($"{features}/{FeaturesFolder.QueriesFileName}"), .. PartialState($"{features}/{FeaturesFolder.ReferencesFileName}")],
        });

        List<string> inputs = [featuresId, EvalSetId];
        List<string> pcaArgs = [];
        if (E.Evaluation.Whitens)
        {
            var pca = FeaturesFolder.PcaRelativePath(m.Name);
            var training = $"{pca}/{FeaturesFolder.TrainingFileName}";
            var pcaParams = DescriptorParams(m);
            pcaParams["pca.trainingImages"] = SettingsParams.Format(E.Evaluation.PcaTrainingImages);
            pcaParams["pca.dimensions"] = SettingsParams.Format(E.Evaluation.PcaDimensions);
            pcaParams["pca.epsilon"] = SettingsParams.Format(E.Evaluation.PcaEpsilon);
            _nodes.Add(new ArtifactNode
            {
                Id = m.PcaId, Kind = ArtifactKind.Pca,
                Description = $"{m.Name}: PCA whitening to {E.Evaluation.PcaDimensions} dimensions, learned on {E.Evaluation.PcaTrainingImages:N0} training images",
                Inputs = [m.Artifact, SourceId], Params = pcaParams,
                Step = "pca", StepVersion = StepVersions.Pca, UsesGpu = true, Settings = E,
                Commands =
                [
                    ["features", .. SettingsArgs(m.PcaId), .. m.LoadArgs, "--images", SourceImages, "--first", SettingsParams.Format(E.Evaluation.PcaTrainingImages),
                        "--out", Abs(training), .. Device()],
                    ["pca", .. SettingsArgs(m.PcaId), "--descriptors", Abs(training), "--out", Abs($"{pca}/{FeaturesFolder.PcaFileName}")],
                ],
                Outputs = [.. DescriptorOutputs(training), new($"{pca}/{FeaturesFolder.PcaFileName}", OutputKind.File)],
                State = [.. PartialState(training)],
            });
            inputs.Add(m.PcaId);
            pcaArgs = ["--pca", Abs($"{pca}/{FeaturesFolder.PcaFileName}")];
        }

        var folder = $"{EvalDir}/{m.Name}";
        var evalParams = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["topK"] = SettingsParams.Format(E.Evaluation.TopK), ["whitened"] = E.Evaluation.Whitens ? "true" : "false",
        };
        _nodes.Add(new ArtifactNode
        {
            Id = m.EvalId, Kind = ArtifactKind.Evaluation, Description = $"{m.Name}: predictions and metrics on the {EvalSet} set",
            Inputs = inputs, Params = evalParams,
            Step = "evaluate", StepVersion = StepVersions.Evaluate, Settings = E,
            Commands =
            [
                ["search", .. SettingsArgs(m.EvalId), "--queries", Abs($"{features}/{FeaturesFolder.QueriesFileName}"),
                    "--references", Abs($"{features}/{FeaturesFolder.ReferencesFileName}"), .. pcaArgs, "--out", Abs($"{folder}/{EvaluationFolder.PredictionsFileName}")],
                ["metrics", "--predictions", Abs($"{folder}/{EvaluationFolder.PredictionsFileName}"),
                    "--ground-truth", Abs($"{EvalDir}/{EvaluationFolder.GroundTruthFileName}"), "--out", Abs($"{folder}/{EvaluationFolder.MetricsFileName}"),
                    .. ReferenceCount()],
            ],
            Outputs = [new($"{folder}/{EvaluationFolder.PredictionsFileName}", OutputKind.File), new($"{folder}/{EvaluationFolder.MetricsFileName}", OutputKind.File)],
        });
    }

    /// <summary>What an interrupted extraction resumes from (isc features' partial file and its identity), kept only for the same artifact identity.</summary>
    static IEnumerable<string> PartialState(string npy) => [npy + ".partial", npy + ".partial.json"];

    static IEnumerable<OutputSpec> DescriptorOutputs(string npy) => [new(npy, OutputKind.File), new(npy + ".names.txt", OutputKind.File)];

    /// <summary>Whether a Published: node is the demo's stand-in (the rebuilt model with seeded noise), not the authors' file.</summary>
    public static bool IsStandIn(ArtifactNode published) => published.Params.ContainsKey(StandInParam);

    const string StandInParam = "standIn";

    void AddPublished(Run r)
    {
        var output = PublishedPath(r);
        if (_p.Source.Synthetic && !settings.Files.ContainsKey(r.PublishedTarget))
        {
            var seed = SettingsParams.Format(E.Training.Seed + 1 + Runs.All.ToList().IndexOf(r));
            _nodes.Add(new ArtifactNode
            {
                Id = r.PublishedTarget, Kind = ArtifactKind.Published,
                Description = $"stand-in for the authors' {r.Name}: the rebuilt model with seeded noise (the demo has no published models)",
                Inputs = [r.ModelTarget], Params = new(StringComparer.Ordinal) { [StandInParam] = "noise", ["seed"] = seed },
                Step = "published", StepVersion = StepVersions.Published,
                Commands = [["synth-published", "--model", Abs(r.TrimmedModelPath), "--out", Abs(output), "--seed", seed]],
                Outputs = [new(output, OutputKind.File)],
            });
            return;
        }
        var source = settings.Files.ContainsKey(r.PublishedTarget) ? "file" : settings.Urls.GetValueOrDefault(r.PublishedTarget);
        if (source is null)
        {
            _nodes.Add(External(r.PublishedTarget, ArtifactKind.Published, new ExternalInput($"the authors' trained {r.Name}", null, false,
                $"--file:{r.PublishedTarget}=PATH or --url:{r.PublishedTarget}=gdrive:<file id> (or inputs.files / inputs.urls in isc.json)",
                $"Download {r.TrimmedModelPath} from the authors' Google Drive folder {Assets.PublishedModelsFolder} (one sub-folder per V5_* folder) and give its path.")));
            return;
        }
        _nodes.Add(new ArtifactNode
        {
            Id = r.PublishedTarget, Kind = ArtifactKind.Published, Description = $"the authors' trained {r.Name} ({r.TrimmedModelPath})",
            Inputs = UserFile(r.PublishedTarget), Params = new(StringComparer.Ordinal) { ["source"] = source },
            Step = "published", StepVersion = StepVersions.Published,
            Commands = [[.. Download(r.PublishedTarget, source, Abs(output))], Pin(r.PublishedTarget, source, Abs(output))],
            Outputs = [new(output, OutputKind.File)], State = DownloadState(output),
        });
    }

    void AddComparison()
    {
        var inputs = Runs.All.SelectMany(r => new[] { ArtifactKinds.EvalPrefix + r.Name, ArtifactKinds.EvalPrefix + r.PublishedTarget })
            .Concat(Backbones.All.Select(b => ArtifactKinds.EvalPrefix + b.Target)).ToList();
        _nodes.Add(new ArtifactNode
        {
            Id = ComparisonId, Kind = ArtifactKind.Comparison,
            Description = $"rebuilt against published µAP for the 33 runs on the {EvalSet} set (pass within {E.Evaluation.CompareTolerance})",
            Inputs = inputs, Params = new(StringComparer.Ordinal) { ["tolerance"] = SettingsParams.Format(E.Evaluation.CompareTolerance) },
            Step = "compare", StepVersion = StepVersions.Compare, Settings = E,
            Commands = [["compare", .. SettingsArgs(ComparisonId), "--set-dir", Abs(EvalDir), "--out", Abs($"{EvalDir}/{EvaluationFolder.ComparisonJsonFileName}"), "--exit-zero"]],
            Outputs = [new($"{EvalDir}/{EvaluationFolder.ComparisonJsonFileName}", OutputKind.File), new($"{EvalDir}/{EvaluationFolder.ComparisonTableFileName}", OutputKind.File)],
        });
    }

    /// <summary>The number of references searched, for metrics.json, where the graph knows it (the set the demo draws).</summary>
    IEnumerable<string> ReferenceCount() => E.EvalSet is { } drawn ? ["--references", SettingsParams.Format(drawn.References)] : [];

    IEnumerable<string> Device() => settings.Device is { } d ? ["--device", d] : [];
}
