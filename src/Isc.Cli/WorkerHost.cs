namespace Isc.Cli;

/// <summary>Finds and runs `isc` commands; shared by the process entry point and by `isc step`, which runs commands in-process.</summary>
public static class WorkerHost
{
    public static readonly IReadOnlyList<IWorkerCommand> Commands =
        typeof(IWorkerCommand).Assembly.GetTypes()
            .Where(t => typeof(IWorkerCommand).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (IWorkerCommand)Activator.CreateInstance(t)!)
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();

    public static IWorkerCommand? Find(string name) => Commands.FirstOrDefault(c => c.Name == name);

    public static void PrintHelp(TextWriter o)
    {
        o.WriteLine("isc: the D2LV harness worker. Each command does one heavy step; the build runs them as child processes,");
        o.WriteLine("and every one of them can be run by hand.");
        o.WriteLine();
        o.WriteLine("usage: isc <command> [options]    (isc <command> --help shows its options)");
        o.WriteLine();
        var width = Commands.Max(c => c.Name.Length) + 2;
        foreach (var c in Commands) o.WriteLine($"  {c.Name.PadRight(width)}{c.Summary}");
    }

    /// <summary>Runs one command line; errors become messages and exit codes, never stack traces for expected failures.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> argv, CancellationToken cancel)
    {
        if (argv.Count == 0 || argv[0] is "--help" or "-h" or "help")
        {
            PrintHelp(Console.Out);
            return argv.Count == 0 ? 2 : 0;
        }
        var command = Find(argv[0]);
        if (command is null)
        {
            Console.Error.WriteLine($"isc: unknown command '{argv[0]}'. Commands: {string.Join(", ", Commands.Select(c => c.Name))}");
            return 2;
        }
        if (argv.Skip(1).Any(a => a is "--help" or "-h"))
        {
            Console.WriteLine(command.Usage);
            return 0;
        }
        try
        {
            return await command.RunAsync(new CommandArgs(argv.Skip(1)), cancel);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"isc {command.Name}: {e.Message}");
            Console.Error.WriteLine($"(isc {command.Name} --help shows the options)");
            return 2;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine($"isc {command.Name}: cancelled; finished work is kept and the next run resumes from it");
            return 130;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException
                                      or ArgumentException or Isc.Recipe.RecipeException or Isc.Torch.Runtime.TorchRuntimeException
                                      or Isc.Artifacts.LockedException)
        {
            Console.Error.WriteLine($"isc {command.Name}: {e.Message}");
            return 1;
        }
    }
}
