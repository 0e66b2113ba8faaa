namespace Isc.Cli;

/// <summary>
/// Makes a worker die with the build that started it. The build (build/Core/WorkerRunner.cs) sets
/// <see cref="Variable"/> and gives the worker a pipe as stdin whose write end it holds open and never
/// writes to. However the build ends (exit, crash, kill -9), the kernel closes that end, and the
/// worker reads end-of-file: it then cancels its work through the same token as Ctrl-C, and exits
/// hard if the work has not stopped after <see cref="Grace"/>.
/// </summary>
/// <remarks>
/// Why a pipe and not prctl(PR_SET_PDEATHSIG): on Linux the parent-death signal fires when the
/// *thread* that forked the child exits, and .NET starts processes from whatever thread-pool thread
/// runs the await, which may be retired later while the build is alive and well; it would kill
/// healthy workers. It is also Linux-only. End-of-file on a pipe means the same on Linux, macOS and
/// Windows. A worker run by hand or by a Slurm job script does not have the variable set, so its
/// stdin (a terminal, /dev/null) is never read.
/// </remarks>
public static class ParentWatch
{
    public const string Variable = "ISC_SUPERVISED";
    public const string StdinMode = "stdin";
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    public static void StartIfSupervised(CancellationTokenSource cancel)
    {
        if (Environment.GetEnvironmentVariable(Variable) != StdinMode) return;
        // Processes this worker starts (the PyTorch reference, ...) are not watched this way; they end with it.
        Environment.SetEnvironmentVariable(Variable, null);
        var stdin = Console.OpenStandardInput();
        new Thread(() => Watch(stdin, cancel)) { IsBackground = true, Name = "parent-watch" }.Start();
    }

    static void Watch(Stream stdin, CancellationTokenSource cancel)
    {
        var buffer = new byte[64];
        try { while (stdin.Read(buffer, 0, buffer.Length) > 0) { } }
        catch (IOException) { }
        // The build is gone; its end of our stdout may be too, and writing there is harmless (the runtime drops EPIPE).
        Console.Error.WriteLine($"isc: the build that started this worker is gone (its pipe on stdin closed); stopping");
        cancel.Cancel();
        Thread.Sleep(Grace);
        Console.Error.WriteLine($"isc: the work did not stop within {Grace.TotalSeconds:F0} s of the build's end; exiting now");
        Environment.Exit(130);
    }
}
