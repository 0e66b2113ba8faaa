using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NUnit.Framework;

namespace Isc.Build.Tests;

/// <summary>A worker dies with the build that started it, even when only the build process is killed (kill -9, not its group).</summary>
[TestFixture, NonParallelizable, Platform("Linux")]
public class WorkerLifetimeTests
{
    string _root = "";
    string Demo => Path.Combine(_root, "demo");
    const string Train = "Train:baseline_CC_50";
    // Long enough that the training is still running when the build is killed, short enough for the rebuild after.
    const string Epochs = "--set=Train:baseline_CC_50.epochs=12";

    [SetUp]
    public void SetUp() => _root = Harness.TempRoot("orphan");

    [TearDown]
    public void TearDown()
    {
        foreach (var pid in WorkersOf(SpecPath)) try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { }
        if (_root != "" && Directory.Exists(_root)) try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    string SpecPath => Path.Combine(Demo, ".stamps", "Train@baseline_CC_50.spec.json");
    string LogPath => Path.Combine(Demo, ".logs", "Train@baseline_CC_50.log");

    string[] Args(params string[] extra) => [.. extra, "--profile=demo", $"--artifacts={_root}", Epochs];

    /// <summary>Processes whose command line names the spec file: the `isc step` workers of this artifact.</summary>
    static List<int> WorkersOf(string spec)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (argv.Contains("step") && argv.Contains(spec)) found.Add(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    [Test]
    public void Killing_the_build_process_alone_mid_training_ends_its_worker_and_the_next_build_completes()
    {
        var inputs = Harness.Build(Args("--target=Dataset:isc_100k_256_big"));
        Assert.That(inputs.ExitCode, Is.EqualTo(0), inputs.ToString());
        Assert.That(Harness.Build(Args("--target=Pretrained:resnet50")).ExitCode, Is.EqualTo(0));

        using var build = Harness.Start(Path.Combine(Harness.RepoRoot, "build.sh"), Args($"--target={Train}"), out var output);
        var watch = Stopwatch.StartNew();
        List<int> workers = [];
        // Running: the worker exists and the trainer has started an epoch (its progress is in the step's log).
        while (watch.Elapsed < TimeSpan.FromSeconds(120) && !build.HasExited)
        {
            workers = WorkersOf(SpecPath);
            if (workers.Count > 0 && File.Exists(LogPath) && File.ReadAllText(LogPath).Contains("isc train")) break;
            Thread.Sleep(100);
        }
        Assert.That(workers, Has.Count.EqualTo(1), $"the training step never started:\n{output}");
        Thread.Sleep(1500);
        Assert.That(WorkersOf(SpecPath), Is.EqualTo(workers), $"the training finished before the kill; make it longer:\n{output}");

        build.Kill(entireProcessTree: false); // SIGKILL to the build process only
        build.WaitForExit();
        var gone = Stopwatch.StartNew();
        while (gone.Elapsed < TimeSpan.FromSeconds(15) && WorkersOf(SpecPath).Count > 0) Thread.Sleep(100);
        Assert.That(WorkersOf(SpecPath), Is.Empty, $"worker {workers[0]} outlived its build by {gone.Elapsed.TotalSeconds:F0} s");
        TestContext.Out.WriteLine($"the worker ended {gone.Elapsed.TotalSeconds:F1} s after its build was killed");

        var next = Harness.Build(Args($"--target={Train}"));
        Assert.That(next.ExitCode, Is.EqualTo(0), next.ToString());
        Assert.That(Harness.Built(next.Output), Is.EqualTo(new[] { Train }), next.Output);
    }

    /// <summary>
    /// The worker itself, stdin at end-of-file from the start, busy with a download from a loopback server that accepts
    /// and never answers (so the work lasts until cancelled): only with the build's variable does it stop.
    /// </summary>
    [Test]
    public void Only_a_worker_started_by_the_build_stops_when_its_stdin_ends()
    {
        var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var started = new List<Process>();
        try
        {
            var url = $"http://127.0.0.1:{((IPEndPoint)server.LocalEndpoint).Port}/x.bin";
            Process Start(bool supervised)
            {
                var info = new ProcessStartInfo(Path.Combine(Harness.RepoRoot, "src", "Isc.Cli", "bin", "Release", "net10.0", "isc"))
                {
                    RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                };
                foreach (var a in new[] { "download", url, Path.Combine(_root, $"x{supervised}.bin"), "--retries", "0" }) info.ArgumentList.Add(a);
                info.Environment.Remove("ISC_SUPERVISED");
                if (supervised) info.Environment["ISC_SUPERVISED"] = "stdin";
                var p = Process.Start(info)!;
                started.Add(p);
                p.StandardInput.Close(); // end-of-file, as when the build is gone (or as /dev/null for a job script)
                return p;
            }

            var byHand = Start(supervised: false);
            var connected = server.AcceptTcpClientAsync();
            Assert.That(connected.Wait(TimeSpan.FromSeconds(20)), Is.True, "the download never connected");
            using var client = connected.Result;
            Assert.That(byHand.WaitForExit(TimeSpan.FromSeconds(3)), Is.False, "a worker run by hand does not care about its stdin");
            byHand.Kill(entireProcessTree: true);

            var supervised = Start(supervised: true);
            var watch = Stopwatch.StartNew();
            Assert.That(supervised.WaitForExit(TimeSpan.FromSeconds(20)), Is.True, "a supervised worker stops when its stdin ends");
            var stderr = supervised.StandardError.ReadToEnd();
            Assert.That(supervised.ExitCode, Is.EqualTo(130), stderr);
            Assert.That(stderr, Does.Contain("the build that started this worker is gone"));
            TestContext.Out.WriteLine($"stopped {watch.Elapsed.TotalSeconds:F1} s after start: {stderr}");
        }
        finally
        {
            foreach (var p in started)
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
                p.Dispose();
            }
            server.Stop();
        }
    }
}
