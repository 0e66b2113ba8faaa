using System.Reflection;
using Isc.Cli;

var commands = typeof(IWorkerCommand).Assembly.GetTypes()
    .Where(t => typeof(IWorkerCommand).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IWorkerCommand)Activator.CreateInstance(t)!)
    .OrderBy(c => c.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
{
    Console.WriteLine("isc: the D2LV harness worker. Each command does one heavy step; the build runs them as child processes.");
    Console.WriteLine();
    Console.WriteLine("usage: isc <command> [options]    (isc <command> --help for its options)");
    Console.WriteLine();
    var width = commands.Max(c => c.Name.Length) + 2;
    foreach (var c in commands) Console.WriteLine($"  {c.Name.PadRight(width)}{c.Summary}");
    return args.Length == 0 ? 2 : 0;
}

var command = commands.FirstOrDefault(c => c.Name == args[0]);
if (command is null)
{
    Console.Error.WriteLine($"isc: unknown command '{args[0]}'. Commands: {string.Join(", ", commands.Select(c => c.Name))}");
    return 2;
}
if (args.Skip(1).Any(a => a is "--help" or "-h"))
{
    Console.WriteLine(command.Usage);
    return 0;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
try
{
    return await command.RunAsync(new CommandArgs(args.Skip(1)), cancel.Token);
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
catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or Isc.Recipe.RecipeException)
{
    Console.Error.WriteLine($"isc {command.Name}: {e.Message}");
    return 1;
}
