using Isc.Downloads;

namespace Isc.Cli.Commands;

/// <summary>Records a file's SHA-256 in the downloads lock file: the last command of a step that downloads or imports a file.</summary>
public sealed class PinCommand : IWorkerCommand
{
    public string Name => "pin";
    public string Summary => "record a checked file's SHA-256 and size in the downloads lock file (or check it against its pin)";
    public string Usage => """
        usage: isc pin --lock <lock file> --key <artifact key> --file <path> --source <where it came from>

        Hashes <path> and records it under <key> in the lock file when the key is new; when the key is already
        pinned the file must match the pin. The build runs this as the LAST command of every step that downloads
        or imports a file, so a file is pinned only after every check of its step passed (hash, archive layout and
        safety, "loads as a checkpoint of this backbone"): a file a later check refuses is never pinned, and the
        right file is not rejected afterwards as a mismatch. `isc download` checks existing pins but never adds one.
        """;

    public async Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var lockPath = args.Required("lock");
        var key = args.Required("key");
        var file = Path.GetFullPath(args.Required("file"));
        var source = args.Required("source");
        args.RejectUnknown();
        var recorded = await new HashLock(lockPath).Pin(key, file, source, cancel);
        Console.WriteLine(recorded ? $"pinned {key} in {Path.GetFullPath(lockPath)}" : $"{key} matches its pin in {Path.GetFullPath(lockPath)}");
        return 0;
    }
}
