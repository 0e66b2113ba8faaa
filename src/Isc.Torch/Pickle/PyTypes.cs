namespace Isc.Torch.Pickle;

/// <summary>A pickled reference to a module-level Python name (GLOBAL / STACK_GLOBAL).</summary>
public sealed record PyGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>
/// An object the reader could not map to a .NET value: <c>callable(*args)</c>, plus the state a later BUILD gave it.
/// Writers use it to emit REDUCE.
/// </summary>
public sealed class PyObject(PyGlobal callable, object?[] args)
{
    public PyGlobal Callable { get; } = callable;
    public object?[] Args { get; } = args;
    public object? State { get; set; }
    public override string ToString() => $"{Callable}({Args.Length} args)";
}

/// <summary>Written as BINPERSID of <see cref="Id"/> (torch storages).</summary>
public sealed record PyPersistent(object Id);

/// <summary>Written as collections.OrderedDict(), then its items (torch state_dicts).</summary>
public sealed class PyOrderedDict : List<KeyValuePair<string, object?>>
{
    public void Add(string key, object? value) => Add(new KeyValuePair<string, object?>(key, value));
}
