using Isc.Recipe;

namespace Isc.Training.Solver;

/// <summary>The learning-rate schedule: the catalog's factor (<see cref="TrainingSettings.LrFactor"/>) as PyTorch's LambdaLR applies it.</summary>
public static class LearningRateSchedule
{
    /// <summary>
    /// The schedule factor, defined past the last epoch too (the value a LambdaLR holds after its final step):
    /// when the cosine part is empty (ConstantUntilEpoch = Epochs) the catalog formula is 0/0, taken as 0, the cosine's end.
    /// </summary>
    public static double Factor(TrainingSettings t, int epoch)
    {
        var f = t.LrFactor(epoch);
        return double.IsFinite(f) ? f : 0;
    }
}
