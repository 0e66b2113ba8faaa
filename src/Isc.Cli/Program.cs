using Isc.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
ParentWatch.StartIfSupervised(cancel);
return await WorkerHost.RunAsync(args, cancel.Token);
