using System.Security.Cryptography;
using Isc.Downloads;

namespace Isc.Downloads.Tests;

/// <summary>Per-test temp folder, deterministic payloads, and downloader options with test-sized delays.</summary>
public abstract class DownloadTestBase
{
    protected string Dir = "";
    protected List<string> LogLines = [];

    [SetUp]
    public void CreateDir()
    {
        Dir = Path.Combine(Path.GetTempPath(), "isc-dl-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Dir);
        LogLines = [];
    }

    [TearDown]
    public void RemoveDir()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
            TestContext.Out.WriteLine(string.Join("\n", LogLines));
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }

    protected DownloadOptions Options(int retries = 4, Uri? drive = null) => new()
    {
        MaxRetries = retries,
        BaseDelay = TimeSpan.FromMilliseconds(5),
        MaxDelay = TimeSpan.FromMilliseconds(50),
        ResponseTimeout = TimeSpan.FromSeconds(5),
        StallTimeout = TimeSpan.FromMilliseconds(500),
        ProgressInterval = TimeSpan.Zero,
        DriveBaseUri = drive ?? new Uri("http://127.0.0.1:9/"),
        Log = line => { lock (LogLines) LogLines.Add(line); },
    };

    protected string PathIn(params string[] parts) => Path.Combine([Dir, .. parts]);

    public static byte[] Payload(int size, int seed = 1)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
