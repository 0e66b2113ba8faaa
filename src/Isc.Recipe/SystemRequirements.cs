using System.Runtime.InteropServices;

namespace Isc.Recipe;

/// <summary>What a part of the build takes from the operating system rather than from NuGet.</summary>
public enum SystemUse
{
    /// <summary>demo profile, the Font target: the overlay text font every dataset draws with.</summary>
    DemoOverlayText,
    /// <summary>demo profile, the Emoji target: the emoji PNGs every dataset pastes.</summary>
    DemoEmoji,
    /// <summary>demo profile, the Source and Overlays targets: the words drawn into the synthetic photos.</summary>
    SyntheticPhotos,
    /// <summary>the Faces target (the ff datasets): OpenCV's face detector.</summary>
    FaceDetection,
    /// <summary>the Verify and Report targets: the strict load of every checkpoint into PyTorch.</summary>
    PyTorchInterop,
    /// <summary>--executor=slurm: sbatch, squeue, scancel.</summary>
    SlurmClient,
    /// <summary>the Test target: what the test suite needs beyond the above (the reference images, a test cluster).</summary>
    TestSuite,
}

/// <summary>How the build tells that a package is installed: a file, a folder, a command on PATH, or a shared library.</summary>
public enum EvidenceKind { File, Directory, Command, Library }

/// <summary>One Debian/Ubuntu package the build needs for some uses, what it provides, and what shows it is installed.</summary>
public sealed record SystemRequirement(string Package, string Provides, EvidenceKind Kind, string Evidence, IReadOnlyList<SystemUse> NeededFor)
{
    /// <summary>Whether the evidence exists; <paramref name="root"/> is the file-system root to look under (a sysroot; "/" normally).</summary>
    public bool IsPresent(string root = "/") => Kind switch
    {
        EvidenceKind.File => File.Exists(Under(root, Evidence)),
        EvidenceKind.Directory => Directory.Exists(Under(root, Evidence)),
        EvidenceKind.Command => SearchPath(root).Any(dir => File.Exists(Path.Combine(dir, Evidence))),
        EvidenceKind.Library => LibraryFolders().Any(dir => File.Exists(Path.Combine(Under(root, dir), Evidence))),
        _ => false,
    };

    /// <summary>"opencv-data (OpenCV's Haar face cascade; needed by the Faces target)".</summary>
    public string Describe() => $"{Package} ({Provides}; needed by {string.Join(", ", NeededFor.Where(u => u != SystemUse.TestSuite).Select(SystemRequirements.Describe).DefaultIfEmpty(SystemRequirements.Describe(SystemUse.TestSuite)))})";

    static string Under(string root, string path) => root == "/" ? path : Path.Join(root, path);

    IEnumerable<string> SearchPath(string root) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(d => Under(root, d));

    /// <summary>Where Debian's multiarch layout puts shared libraries for this process's architecture.</summary>
    static IEnumerable<string> LibraryFolders()
    {
        var triplet = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x86_64-linux-gnu",
            Architecture.Arm64 => "aarch64-linux-gnu",
            Architecture.Arm => "arm-linux-gnueabihf",
            _ => RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant() + "-linux-gnu",
        };
        return [$"/usr/lib/{triplet}", $"/lib/{triplet}", "/usr/lib", "/usr/lib64", "/lib"];
    }
}

/// <summary>
/// The system packages of every target, profile and option: the single list the build provisions from
/// (./build.sh installs what the requested targets lack), the worker names in its errors, and the demo
/// profile's asset paths must agree with.
/// </summary>
public static class SystemRequirements
{
    const string DistPackages = "/usr/lib/python3/dist-packages";

    public static readonly SystemRequirement NotoFonts = new("fonts-noto-core", "the NotoNaskhArabic-Regular.ttf overlay text font the recipe uses",
        EvidenceKind.File, "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf", [SystemUse.DemoOverlayText, SystemUse.TestSuite]);

    public static readonly SystemRequirement DejaVuFonts = new("fonts-dejavu-core", "DejaVuSans.ttf, the font of the words in the synthetic photos",
        EvidenceKind.File, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", [SystemUse.SyntheticPhotos, SystemUse.TestSuite]);

    public static readonly SystemRequirement TanukiEmoji = new("ruby-tanuki-emoji", "the tanuki_emoji PNGs the emoji overlays paste",
        EvidenceKind.Directory, "/usr/share/rubygems-integration/all/gems/tanuki_emoji-0.6.0/app/assets/images/tanuki_emoji", [SystemUse.DemoEmoji, SystemUse.TestSuite]);

    public static readonly SystemRequirement OpenCvData = new("opencv-data", "OpenCV's Haar frontal-face cascade",
        EvidenceKind.File, "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml", [SystemUse.FaceDetection, SystemUse.TestSuite]);

    public static readonly SystemRequirement Gtk = new("libgtk-3-0", "libgtk-3.so.0, which OpenCV's native library links against",
        EvidenceKind.Library, "libgtk-3.so.0", [SystemUse.FaceDetection, SystemUse.TestSuite]);

    public static readonly SystemRequirement Torch = new("python3-torch", "PyTorch for /usr/bin/python3 (the reference the checkpoints are loaded into)",
        EvidenceKind.File, DistPackages + "/torch/__init__.py", [SystemUse.PyTorchInterop, SystemUse.TestSuite]);

    public static readonly SystemRequirement TorchVision = new("python3-torchvision", "torchvision for /usr/bin/python3 (the reference's ResNe(X)t backbones)",
        EvidenceKind.File, DistPackages + "/torchvision/__init__.py", [SystemUse.PyTorchInterop, SystemUse.TestSuite]);

    public static readonly SystemRequirement NumPy = new("python3-numpy", "NumPy for /usr/bin/python3",
        EvidenceKind.File, DistPackages + "/numpy/__init__.py", [SystemUse.PyTorchInterop, SystemUse.TestSuite]);

    public static readonly SystemRequirement SlurmClient = new("slurm-client", "Slurm's client commands (sbatch, squeue, scancel, sinfo)",
        EvidenceKind.Command, "sbatch", [SystemUse.SlurmClient, SystemUse.TestSuite]);

    public static readonly SystemRequirement Pillow = new("python3-pil", "Pillow for /usr/bin/python3 (the tests compare the augmentations with it)",
        EvidenceKind.File, DistPackages + "/PIL/__init__.py", [SystemUse.TestSuite]);

    public static readonly SystemRequirement SkImage = new("python3-skimage", "scikit-image's sample photos (astronaut.png) for the tests",
        EvidenceKind.File, DistPackages + "/skimage/data/astronaut.png", [SystemUse.TestSuite]);

    public static readonly SystemRequirement SlurmController = new("slurmctld", "the Slurm controller of the single-node test cluster",
        EvidenceKind.File, "/usr/sbin/slurmctld", [SystemUse.TestSuite]);

    public static readonly SystemRequirement SlurmNode = new("slurmd", "the Slurm node daemon of the single-node test cluster",
        EvidenceKind.File, "/usr/sbin/slurmd", [SystemUse.TestSuite]);

    public static readonly SystemRequirement Munge = new("munge", "MUNGE, the test cluster's authentication daemon",
        EvidenceKind.File, "/usr/sbin/munged", [SystemUse.TestSuite]);

    public static readonly SystemRequirement Chromium = new("chromium", "headless Chromium, in which the report's test opens the report",
        EvidenceKind.File, "/usr/bin/chromium", [SystemUse.TestSuite]);

    public static readonly IReadOnlyList<SystemRequirement> All =
        [NotoFonts, DejaVuFonts, TanukiEmoji, OpenCvData, Gtk, Torch, TorchVision, NumPy, SlurmClient, Pillow, SkImage, SlurmController, SlurmNode, Munge, Chromium];

    /// <summary>The packages any of <paramref name="uses"/> needs, in list order.</summary>
    public static IReadOnlyList<SystemRequirement> For(IEnumerable<SystemUse> uses)
    {
        var set = uses.ToHashSet();
        return [.. All.Where(r => r.NeededFor.Any(set.Contains))];
    }

    /// <summary>The packages <paramref name="uses"/> needs whose evidence is absent under <paramref name="root"/>.</summary>
    public static IReadOnlyList<SystemRequirement> Missing(IEnumerable<SystemUse> uses, string root = "/") =>
        [.. For(uses).Where(r => !r.IsPresent(root))];

    /// <summary>The package whose evidence is <paramref name="path"/> (or lies under it), for errors about a missing system file.</summary>
    public static SystemRequirement? Providing(string path) =>
        All.FirstOrDefault(r => r.Kind is EvidenceKind.File or EvidenceKind.Directory &&
            (string.Equals(r.Evidence, path, StringComparison.Ordinal) || path.StartsWith(r.Evidence + "/", StringComparison.Ordinal)));

    /// <summary>" (Debian/Ubuntu: apt-get install --no-install-recommends fonts-noto-core)" for a known system file, else "".</summary>
    public static string InstallHint(string path) =>
        Providing(path) is { } r ? $" (it comes with the Debian/Ubuntu package {r.Package}: apt-get install --no-install-recommends {r.Package})" : "";

    public static string Describe(SystemUse use) => use switch
    {
        SystemUse.DemoOverlayText => "the demo profile's Font target",
        SystemUse.DemoEmoji => "the demo profile's Emoji target",
        SystemUse.SyntheticPhotos => "the demo profile's synthetic Source and Overlays",
        SystemUse.FaceDetection => "the Faces target (ff datasets)",
        SystemUse.PyTorchInterop => "Verify's PyTorch strict-load check (Verify, Report)",
        SystemUse.SlurmClient => "--executor=slurm",
        SystemUse.TestSuite => "the Test target",
        _ => use.ToString(),
    };
}
