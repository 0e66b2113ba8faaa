using TorchSharp;

namespace Isc.Training.Runtime;

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
                throw new Isc.Recipe.RecipeException(
                    $"--device {spec}: CUDA is not available to TorchSharp here; build with -p:TorchDevice=cuda on a machine with an NVIDIA driver (see docs/training.md), or use --device cpu");
            var index = s == "cuda" ? 0 : int.Parse(s[5..], System.Globalization.CultureInfo.InvariantCulture);
            if (index < 0 || index >= torch.cuda.device_count())
                throw new Isc.Recipe.RecipeException($"--device {spec}: only {torch.cuda.device_count()} CUDA device(s) visible");
            return new torch.Device(DeviceType.CUDA, index);
        }
        throw new Isc.Recipe.RecipeException($"--device must be cpu, cuda or cuda:N, got '{spec}'");
    }

    /// <summary>
    /// Intra-op threads for a CPU run: <paramref name="requested"/> when positive; otherwise 1 for tiny networks
    /// (stem width &lt; 16: the demo profile trained in 4.0 s with 1 thread vs 5.1–6.0 s with 2 here) and one per core for the rest.
    /// </summary>
    public static int ConfigureCpuThreads(int requested, int stemWidth)
    {
        EnsureLoadable();
        var n = requested > 0 ? requested : stemWidth < 16 ? 1 : Environment.ProcessorCount;
        torch.set_num_threads(n);
        return n;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "setenv")]
    static extern int SetEnv(string name, string value, int overwrite);

    /// <summary>
    /// oneDNN's AVX-512 convolution backward returned NaN/varying input gradients for small channel counts on these
    /// machines (libtorch 2.10; the same model is exact in PyTorch 1.13 and with AVX2 kernels), so oneDNN is capped
    /// at AVX2 unless the user already set DNNL_MAX_CPU_ISA. Must run before libtorch initialises oneDNN; .NET's
    /// Environment.SetEnvironmentVariable does not reach native getenv on Linux, hence libc setenv.
    /// </summary>
    public const string OneDnnIsaCap = "AVX2";

    static string Prepare()
    {
        if (!OperatingSystem.IsLinux()) return "torch runtime: not Linux, nothing to patch";
        SetEnv("DNNL_MAX_CPU_ISA", OneDnnIsaCap, 0);
        var stdcxx = SystemLibStdCxx();
        if (stdcxx is null) return "torch runtime: system libstdc++ not found, library left as is";
        var defined = ElfVersions.ReadDefinitions(File.ReadAllBytes(stdcxx)).ToHashSet(StringComparer.Ordinal);
        var notes = new List<string>();
        foreach (var lib in BridgeCandidates().Where(File.Exists).Distinct())
            notes.Add(PatchIfNeeded(lib, defined));
        return notes.Count == 0 ? "torch runtime: libLibTorchSharp.so not found beside the application" : string.Join("; ", notes);
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
            throw new Isc.Recipe.RecipeException(
                $"{lib} needs {string.Join(", ", unsafeOnes)} from libstdc++, which this system lacks; install a newer libstdc++ (GCC 13+)");
        foreach (var need in missing)
        {
            var prefix = need.Name[..(need.Name.LastIndexOf('.') + 1)];
            var replacement = systemVersions
                .Where(v => v.StartsWith(prefix, StringComparison.Ordinal) && v.Length == need.Name.Length)
                .OrderByDescending(v => v, StringComparer.Ordinal).FirstOrDefault()
                ?? throw new Isc.Recipe.RecipeException($"{lib}: no same-length {prefix}* version in the system libstdc++ to stand in for {need.Name}");
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
