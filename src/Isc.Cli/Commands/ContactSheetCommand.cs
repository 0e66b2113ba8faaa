using Isc.Imaging.Generation;
using Isc.Imaging.Pixels;

namespace Isc.Cli.Commands;

/// <summary>`isc contact-sheet`: a PNG grid of a few ids × their images.</summary>
public sealed class ContactSheetCommand : IWorkerCommand
{
    public string Name => "contact-sheet";
    public string Summary => "draw a PNG grid of a few ids x their images from a dataset folder";
    public string Usage => """
        isc contact-sheet --dataset-dir <dir of {id}_{k}.jpg> --out <png> [--ids N] [--thumb PX]

          --ids    rows: ids spread evenly over the dataset (default 4)
          --thumb  cell size in pixels (default 96)
        """;

    public Task<int> RunAsync(CommandArgs args, CancellationToken cancel)
    {
        var dir = args.Required("dataset-dir");
        var output = args.Required("out");
        var ids = args.Int("ids", 4);
        var thumb = args.Int("thumb", 96);
        if (ids < 1 || thumb < 8) throw new UsageException("--ids must be ≥ 1 and --thumb ≥ 8");
        args.RejectUnknown();
        using var sheet = ContactSheet.Render(dir, ids, 0, thumb);
        AtomicFile.Write(output, ImageCodec.EncodePng(sheet));
        Console.WriteLine($"contact sheet {output}: {sheet.Width}x{sheet.Height}");
        return Task.FromResult(0);
    }
}
