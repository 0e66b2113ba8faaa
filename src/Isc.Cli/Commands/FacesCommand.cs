using Isc.Imaging.Faces;
using Isc.Recipe;

namespace Isc.Cli.Commands;

/// <summary>`isc faces`: the face-selection artifact for ff/ff_bw.</summary>
public sealed class FacesCommand : IWorkerCommand
{
    public string Name => "faces";
    public string Summary => "list the training images that contain a face (for isc_100k_256_big_ff/_ff_bw)";
    public string Usage => $"""
        isc faces --profile <paper|demo> --source <dir> --out <file> [--cascade <xml>] [--jobs N]

          Scans every .jpg/.jpeg in --source with OpenCV's Haar frontal-face cascade and writes the sorted names of
          those with a face, one per line, atomically to --out. Unreadable images are skipped and listed as '#' lines.
          --cascade  default {FaceDetector.DefaultCascade} (Debian opencv-data)
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        _ = Profiles.Get(args.Required("profile"));
        var source = args.Required("source");
        var output = args.Required("out");
        var cascade = args.Optional("cascade") ?? FaceDetector.DefaultCascade;
        var jobs = args.Int("jobs", Environment.ProcessorCount);
        if (jobs < 1) throw new UsageException("--jobs must be at least 1");
        args.RejectUnknown();
        FaceSelection.Run(source, output, cascade, jobs, Console.Out, cancel);
        return Task.FromResult(0);
    }
}
