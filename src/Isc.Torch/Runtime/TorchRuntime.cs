using TorchSharp;

namespace Isc.Torch.Runtime;

/// <summary>
/// Makes TorchSharp's native bridge loadable before anything touches <c>torch</c>.
/// LibTorchSharp 0.107 declares a need for GLIBCXX_3.4.32 (GCC 13) although the only symbol
/// behind it (<c>std::ios_base_library_init</c>) is never relocated against; Debian 12 and
/// Ubuntu 22.04 lack that version, so the loader refuses the library. Where the system's
/// libstdc++ lacks it, the copy of libLibTorchSharp.so next to the application (never the
/// package cache's) is rewritten to need the newest same-length version the system has.
/// </summary>
public static class TorchRuntime
{
    /// <summary>Versions known to be needed without any symbol bound to them (checked for 0.107).</summary>
    static readonly HashSet<string> SafeToRetarget = ["GLIBCXX_3.4.32"];

    static readonly Lazy<string> Once = new(Prepare, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Idempotent; returns a line saying what was done (for logs).</summary>
    public static string EnsureLoadable() => Once.Value;

    /// <summary>Parses <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c> into a TorchSharp device, with a clear error when CUDA is absent.</summary>
    public static torch.Device Device(string spec)
    {
        EnsureLoadable();
        var s = spec.Trim().ToLowerInvariant();
        if (s == "cpu") return torch.CPU;
        if (s == "cuda" || s.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
                throw new TorchRuntimeException(
                    $"--device {spec}: CUDA is not available to TorchSharp here. On a machine with an NVIDIA driver, build the worker with CUDA natives " +
                    "(export TorchDevice=cuda, or TorchDevice=system with an installed PyTorch's torch/lib on LD_LIBRARY_PATH; docs/training.md, Devices), or use --device cpu");
            var index = s == "cuda" ? 0 : int.Parse(s[5..], System.Globalization.CultureInfo.InvariantCulture);
            if (index < 0 || index >= torch.cuda.device_count())
                throw new TorchRuntimeException($"--device {spec}: only {torch.cuda.device_count()} CUDA device(s) visible");
            return new torch.Device(DeviceType.CUDA, index);
        }
        throw new TorchRuntimeException($"--device must be cpu, cuda or cuda:N, got '{spec}'");
    }

    /// <summary>
    /// Intra-op threads for a CPU run of a network: <paramref name="requested"/> when positive; otherwise 1 for tiny networks
    /// (stem width &lt; 16: the demo profile trained in 4.0 s with 1 thread vs 5.1–6.0 s with 2 here) and one per core for the rest.
    /// </summary>
    public static int ConfigureCpuThreads(int requested, int stemWidth) =>
        SetCpuThreads(requested > 0 ? requested : stemWidth < 16 ? 1 : Environment.ProcessorCount);

    /// <summary>Intra-op threads for CPU work that runs no network (search, PCA): <paramref name="requested"/> when positive, else one per core.</summary>
    public static int ConfigureCpuThreads(int requested) =>
        SetCpuThreads(requested > 0 ? requested : Environment.ProcessorCount);

    static int SetCpuThreads(int n)
    {
        EnsureLoadable();
        torch.set_num_threads(n);
        return n;
    }

    [System.Runtime.InteropServices.DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    static extern IntPtr GlobalContext();

    [System.Runtime.InteropServices.DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    static extern void SetUserEnabledMkldnn(IntPtr context, [System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.I1)] bool enabled);

    [System.Runtime.InteropServices.DllImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.I1)]
    static extern bool UserEnabledMkldnn(IntPtr context);

    /// <summary>
    /// oneDNN (mkldnn) CPU convolutions are switched off — PyTorch's <c>torch.backends.mkldnn.enabled = False</c> — on
    /// machines whose kernel exposes no CPU cache topology (<c>/sys/devices/system/cpu/cpu0/cache</c> absent, as in the
    /// VMs here). There libtorch 2.10's oneDNN convolution backward divided by zero (SIGFPE in
    /// <c>brgemm_convolution_bwd_utils::brg_blocking_t::est_eff_1x1</c>, paper-width ResNet-50) and returned NaN or
    /// run-to-run different input gradients for small channel counts. ISC_TORCH_ONEDNN=on|off overrides the choice.
    /// </summary>
    public static bool OneDnnEnabled { get; private set; } = true;

    static void ConfigureOneDnn()
    {
        var env = Environment.GetEnvironmentVariable("ISC_TORCH_ONEDNN")?.Trim().ToLowerInvariant();
        var enable = env switch
        {
            "on" or "1" or "true" => true,
            "off" or "0" or "false" => false,
            _ => !OperatingSystem.IsLinux() || Directory.Exists("/sys/devices/system/cpu/cpu0/cache"),
        };
        if (enable) return;
        using (torch.zeros(1)) { } // makes TorchSharp load libtorch first
        var ctx = GlobalContext();
        SetUserEnabledMkldnn(ctx, false);
        OneDnnEnabled = UserEnabledMkldnn(ctx);
    }

    static string Prepare()
    {
        if (!OperatingSystem.IsLinux()) return "torch runtime: not Linux, nothing to patch";
        var stdcxx = SystemLibStdCxx();
        if (stdcxx is null) return "torch runtime: system libstdc++ not found, library left as is";
        var defined = ElfVersions.ReadDefinitions(File.ReadAllBytes(stdcxx)).ToHashSet(StringComparer.Ordinal);
        var notes = new List<string>();
        foreach (var lib in BridgeCandidates().Where(File.Exists).Distinct())
            notes.Add(PatchIfNeeded(lib, defined));
        if (notes.Count == 0) notes.Add("torch runtime: libLibTorchSharp.so not found beside the application");
        ConfigureOneDnn();
        notes.Add($"oneDNN CPU kernels {(OneDnnEnabled ? "on" : "off (no CPU cache topology exposed; see TorchRuntime.OneDnnEnabled)")}");
        return string.Join("; ", notes);
    }

    /// <summary>Rewrites <paramref name="lib"/> (atomically, keeping its timestamp) when it needs versions the system lacks.</summary>
    public static string PatchIfNeeded(string lib, IReadOnlySet<string> systemVersions)
    {
        var elf = File.ReadAllBytes(lib);
        var missing = ElfVersions.ReadNeeds(elf)
            .Where(n => n.File.StartsWith("libstdc++", StringComparison.Ordinal) && !systemVersions.Contains(n.Name))
            .ToList();
        if (missing.Count == 0) return $"{lib}: loadable as is";
        var unsafeOnes = missing.Where(n => !SafeToRetarget.Contains(n.Name)).Select(n => n.Name).ToList();
        if (unsafeOnes.Count > 0)
            throw new TorchRuntimeException(
                $"{lib} needs {string.Join(", ", unsafeOnes)} from libstdc++, which this system lacks; install a newer libstdc++ (GCC 13+)");
        foreach (var need in missing)
        {
            var prefix = need.Name[..(need.Name.LastIndexOf('.') + 1)];
            var replacement = systemVersions
                .Where(v => v.StartsWith(prefix, StringComparison.Ordinal) && v.Length == need.Name.Length)
                .OrderByDescending(v => v, StringComparer.Ordinal).FirstOrDefault()
                ?? throw new TorchRuntimeException($"{lib}: no same-length {prefix}* version in the system libstdc++ to stand in for {need.Name}");
            ElfVersions.Retarget(elf, need, replacement);
        }
        var stamp = File.GetLastWriteTimeUtc(lib);
        var tmp = Path.Combine(Path.GetDirectoryName(lib)!, $".{Path.GetFileName(lib)}.{Environment.ProcessId}.tmp");
        File.WriteAllBytes(tmp, elf);
        // Same timestamp and size as the package's file, so an incremental build does not copy it again.
        File.SetLastWriteTimeUtc(tmp, stamp);
        File.Move(tmp, lib, overwrite: true);
        return $"{lib}: retargeted {string.Join(", ", missing.Select(m => m.Name))} (system libstdc++ lacks it)";
    }

    static IEnumerable<string> BridgeCandidates()
    {
        var dirs = new[] { Path.GetDirectoryName(typeof(torch).Assembly.Location), AppContext.BaseDirectory }
            .Where(d => !string.IsNullOrEmpty(d)).Select(d => Path.GetFullPath(d!)).Distinct();
        foreach (var d in dirs)
        {
            yield return Path.Combine(d, "libLibTorchSharp.so");
            yield return Path.Combine(d, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        }
    }

    /// <summary>The libstdc++ this process already uses (the .NET host links it), else the usual locations.</summary>
    static string? SystemLibStdCxx()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var i = line.IndexOf('/');
                if (i >= 0 && line.Contains("libstdc++.so", StringComparison.Ordinal)) return line[i..].Trim();
            }
        }
        catch (IOException) { }
        string[] known = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib/libstdc++.so.6"];
        return known.FirstOrDefault(File.Exists);
    }
}
