using Isc.Imaging.Generation;

namespace Isc.Imaging.Tests;

[TestFixture]
public class ProgressTests
{
    [Test]
    public void Progress_lines_show_done_total_rate_and_eta()
    {
        var log = new StringWriter();
        using (var p = new Progress(log, "generate x", 1000, TimeSpan.FromHours(1)))
        {
            p.AddSkipped(100);
            p.Add(150);
            Thread.Sleep(50);
            p.Report();
        }
        var line = log.ToString().Trim();
        Assert.That(line, Does.Match(@"^generate x: 250/1000 images \(25\.0%\), [0-9]+\.[0-9] images/s, ETA [0-9]\.[0-9]{2}:[0-9]{2}:[0-9]{2}$"));
    }
}
