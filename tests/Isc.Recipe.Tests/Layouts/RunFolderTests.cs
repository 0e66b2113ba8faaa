using Isc.Recipe.Layouts;
using NUnit.Framework;

namespace Isc.Recipe.Tests.Layouts;

[TestFixture]
public class RunFolderTests
{
    [Test]
    public void A_run_folder_and_trimmed_model_are_where_the_original_scripts_put_them()
    {
        var run = Runs.Get("baseline_CC_50");
        Assert.That(RunFolder.RelativePath(run), Is.EqualTo("logs/baseline_CC/50"));
        Assert.That(run.LogDirectory, Is.EqualTo(RunFolder.RelativePath(run)));
        Assert.That(TrimmedModelFile.RelativePath(run), Is.EqualTo("V5_baseline_CC/baseline_cc_50.pth.tar"));
        Assert.That(run.TrimmedModelPath, Is.EqualTo(TrimmedModelFile.RelativePath(run)));
    }

    [TestCase(0)]
    [TestCase(49)]
    public void A_checkpoint_name_parses_back_to_its_epoch(int epoch)
    {
        Assert.That(RunFolder.TryParseCheckpoint(RunFolder.CheckpointFileName(epoch), out var parsed), Is.True);
        Assert.That(parsed, Is.EqualTo(epoch));
    }

    [TestCase("checkpoint_05.pth.tar")]
    [TestCase("checkpoint_+5.pth.tar")]
    [TestCase("checkpoint_-1.pth.tar")]
    [TestCase("checkpoint_5.pth.tar.tmp")]
    [TestCase(".checkpoint_5.pth.tar.x.tmp")]
    [TestCase("checkpoint_99999999999.pth.tar")]
    [TestCase("checkpoint_\u0665.pth.tar")]
    public void Only_names_the_trainer_writes_are_checkpoints(string name)
    {
        Assert.That(RunFolder.TryParseCheckpoint(name, out _), Is.False, name);
    }

    [Test]
    public void Checkpoints_are_listed_by_epoch_and_other_files_ignored()
    {
        var dir = Directory.CreateTempSubdirectory("isc-runfolder-").FullName;
        try
        {
            foreach (var f in new[] { "checkpoint_10.pth.tar", "checkpoint_9.pth.tar", "checkpoint_09.pth.tar", "log.txt", "metrics.csv", "run.json" })
                File.WriteAllText(Path.Combine(dir, f), "");
            Assert.That(RunFolder.Checkpoints(dir).Select(c => (c.Epoch, Path.GetFileName(c.Path))),
                Is.EqualTo(new[] { (9, "checkpoint_9.pth.tar"), (10, "checkpoint_10.pth.tar") }));
            Assert.That(RunFolder.Checkpoints(Path.Combine(dir, "missing")), Is.Empty);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
