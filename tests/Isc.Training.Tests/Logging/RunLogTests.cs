using Isc.Training.Logging;

namespace Isc.Training.Tests.Logging;

[TestFixture]
public class RunLogTests
{
    [Test]
    public void AResumeKeepsOnlyWholeRowsOfTheEpochsItDoesNotRedo()
    {
        var dir = Directory.CreateTempSubdirectory("isc-runlog-").FullName;
        try
        {
            var csv = Path.Combine(dir, "metrics.csv");
            const string header = "epoch,iter,step,loss,ce,triplet,precision,lr";
            string[] rows = ["0,0,0,5.5,0.5,0.5,0,0.01", "0,1,1,5.4,0.5,0.5,0,0.01", "1,0,2,5.3,0.5,0.5,0,0.01", "1,1,3,5.2,0.5,0.5,0,0.01"];
            // Epoch 12's row cut after its first digit reads as epoch 1; one cut inside its values has too few fields.
            File.WriteAllText(csv, string.Join("\n", [header, .. rows, "12,0,24,5.1", "1"]));
            using (new RunLog(dir, 2, TextWriter.Null)) { }
            Assert.That(File.ReadAllLines(csv), Is.EqualTo(new[] { header }.Concat(rows)));
        }
        finally { Directory.Delete(dir, true); }
    }
}
