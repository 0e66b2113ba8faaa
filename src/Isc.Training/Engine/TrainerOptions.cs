using Isc.Recipe;

namespace Isc.Training.Engine;

/// <summary>Everything one training run needs.</summary>
/// <param name="Device">cpu, cuda or cuda:N.</param>
/// <param name="Workers">Image-decoding threads (0 = one per core).</param>
/// <param name="Prefetch">Batches prepared ahead (bounds the pipeline's memory).</param>
/// <param name="TorchThreads">libtorch intra-op threads on CPU (0 = automatic, see TorchRuntime.ConfigureCpuThreads).</param>
/// <param name="StopAfterEpoch">Stop after finishing this epoch (tests use it to simulate an interruption); null = run to the end.</param>
/// <param name="MetricsEvery">Read the steps' logged numbers back from the device every this many steps (and at each epoch's end),
/// one synchronisation for all of them; metrics.csv and the TensorBoard events get the same rows whatever the value.</param>
public sealed record TrainerOptions(
    Backbone Backbone,
    ModelSettings Model,
    TrainingSettings Training,
    string Dataset,
    string? Pretrained,
    string OutDir,
    string Device = "cpu",
    int Workers = 0,
    int Prefetch = 2,
    double LogEverySeconds = 5,
    int TorchThreads = 0,
    int? StopAfterEpoch = null,
    int MetricsEvery = 50);
