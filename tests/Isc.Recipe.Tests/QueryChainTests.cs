using Isc.Recipe;
using Isc.Recipe.Chains;
using NUnit.Framework;

namespace Isc.Recipe.Tests;

/// <summary>The evaluation set's query chain: its own chain, with the edits the challenge's queries show.</summary>
[TestFixture]
public class QueryChainTests
{
    [Test]
    public void The_query_chain_is_none_of_the_eleven_training_chains()
    {
        var query = EvalChains.Query.Describe();
        Assert.That(Datasets.All, Has.Count.EqualTo(11));
        foreach (var d in Datasets.All)
            Assert.That(query, Is.Not.EqualTo(DatasetChains.For(d).Describe()), d.Name);
    }

    [Test]
    public void The_query_chain_crops_rotates_changes_colour_writes_text_and_pastes_onto_other_images()
    {
        var kinds = EvalChains.Query.Steps.Select(s => s.Kind).ToList();
        Assert.That(kinds, Does.Contain("random-resized-crop").And.Contain("rotation").And.Contain("color-jitter")
            .And.Contain("text-overlay").And.Contain("image-overlay"));
        Assert.That(kinds[^1], Is.EqualTo("resize"), "every query ends at QuerySize x QuerySize");
        Assert.That(EvalChains.Query.Steps.Where(s => s.Kind != "to-rgb" && s.Kind != "random-resized-crop" && s.Kind != "resize"),
            Has.All.Matches<ChainStep>(s => s.P is > 0 and < 1), "each edit is applied to some queries, not all");
    }

    [Test]
    public void The_demo_eval_set_is_drawn_with_seeds_no_demo_training_image_or_overlay_uses()
    {
        var demo = Profiles.Demo;
        int[] evalSeeds = [demo.EvalSet!.Seed, demo.EvalSet.Seed + 1, demo.EvalSet.Seed + 2];
        int[] sourceSeeds = [demo.Source.Seed, demo.Source.Seed + 1];
        Assert.That(evalSeeds.Intersect(sourceSeeds), Is.Empty);
        Assert.That(Profiles.Paper.EvalSet, Is.Null, "paper evaluates on the DISC21 images the user gives");
    }
}
