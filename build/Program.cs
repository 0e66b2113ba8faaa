return await Isc.Build.Host.CakeHost.RunAsync(args);
