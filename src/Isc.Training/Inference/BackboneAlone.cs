using Isc.Recipe;
using Isc.Training.Model;
using TorchSharp;

namespace Isc.Training.Inference;

/// <summary>
/// A pretrained backbone evaluated alone (the baseline <c>Pretrained_&lt;backbone&gt;</c>): the profile's D2LV network
/// initialised from the pretrained file exactly as a training starts (<see cref="PretrainedLoader"/>), in eval mode.
/// Its eval output is the GeM descriptor of the pretrained ResNet, the same thing a trimmed model's eval output is.
/// </summary>
public static class BackboneAlone
{
    /// <summary>
    /// Builds the network and loads <paramref name="pretrainedPath"/> into its backbone. The parts the file does not
    /// hold (projector, classifier) get torch's random init seeded with <see cref="TrainingSettings.Seed"/>, as the
    /// trainer seeds them, so the model (and what it writes) is the same on every call; the descriptors do not use them.
    /// </summary>
    public static D2lvNet Load(Backbone backbone, Profile profile, string pretrainedPath)
    {
        if (!File.Exists(pretrainedPath))
            throw new FileNotFoundException($"pretrained file {pretrainedPath} not found (the {backbone.Target} artifact, or a file given as --pretrained)", pretrainedPath);
        torch.random.manual_seed(profile.Training.Seed);
        var model = new D2lvNet(backbone, profile.Model, profile.Model.ClassifierPieces);
        try
        {
            PretrainedLoader.Load(model, pretrainedPath);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return model;
    }
}
