namespace Isc.Torch.Pickle;

/// <summary>
/// The only Python names a checkpoint, trimmed model or pretrained backbone may reference: the containers,
/// tensor and storage rebuilders torch.save emits, and numpy arrays (pickled backbones). The reader never runs
/// anything, but a name outside this list means the file is not a plain weights file (a pickle with a
/// <c>__reduce__</c> payload names os.system, builtins.eval, ...), so it is refused rather than read.
/// Modelled on what torch.load(weights_only=True) allows, plus numpy arrays.
/// </summary>
public static class PickleAllowList
{
    static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
        "torch.storage._load_from_bytes",
        "_codecs.encode",
        "builtins.set", "builtins.frozenset", "builtins.bytearray",
        "__builtin__.set", "__builtin__.frozenset", "__builtin__.bytearray",
        "numpy.ndarray", "numpy.dtype",
        "numpy.core.multiarray._reconstruct", "numpy.core.multiarray.scalar",
        "numpy._core.multiarray._reconstruct", "numpy._core.multiarray.scalar",
    };

    public static bool Allows(PyGlobal g) =>
        Names.Contains(g.ToString())
        // torch.FloatStorage, torch.HalfStorage, ...: the storage classes named in persistent ids.
        || (g.Module == "torch" && g.Name.EndsWith("Storage", StringComparison.Ordinal) && g.Name.All(char.IsAsciiLetter));
}
