using Cake.Core.Diagnostics;
using Isc.Artifacts;
using Isc.Build.Core;
using Isc.Build.Executors.Local;
using Isc.Recipe;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>
/// The local scheduler after a failure, without --keep-going: a step waiting for the failed step's slot must not start.
/// The failure has to be on the board before the slot is freed — the step's record is written later, by its task, and
/// a waiting step may take the slot first (a build test saw the next step run so, now and then).
/// </summary>
[TestFixture]
public class StepSchedulerFailureTests
{
    [Test]
    public void A_step_waiting_for_a_slot_does_not_start_after_the_step_before_it_failed()
    {
        var root = Harness.TempRoot("sched");
        try
        {
            var board = new StepBoard();
            // No worker under this root: each step that starts fails at once, the same way every time.
            var scheduler = new LocalStepScheduler(jobs: 1, gpus: [], keepGoing: false, repoRoot: root, board, new NullLog());
            var first = scheduler.Execute(Order(root, "Overlays"));
            var second = scheduler.Execute(Order(root, "Faces"));
            Assert.Multiple(() =>
            {
                Assert.That(first.Finished.Result.Result, Is.EqualTo(StepResult.Failed));
                Assert.That(second.Finished.Result.Result, Is.EqualTo(StepResult.Skipped), second.Finished.Result.Where);
                Assert.That(second.Finished.Result.Where, Is.EqualTo("stopped after Overlays failed"));
            });
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    static StepOrder Order(string root, string artifact) => new()
    {
        Artifact = artifact,
        Kind = ArtifactKind.Overlays,
        Description = artifact,
        Inputs = [],
        UsesGpu = false,
        Spec = new StepSpec { Artifact = artifact, Step = "test", StepVersion = 1, Root = root, Params = [], Inputs = [], Commands = [], Outputs = [] },
        SpecPath = Path.Combine(root, artifact + ".spec.json"),
        LogPath = Path.Combine(root, artifact + ".log"),
    };
}
