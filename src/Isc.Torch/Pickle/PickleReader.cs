using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Isc.Torch.Pickle;

/// <summary>
/// A Python pickle reader for protocols 2–5 (the opcodes torch.save, pickle.dump and numpy emit).
/// Values: None→null, bool, int→long (BigInteger when larger), float→double, str→string, bytes→byte[],
/// tuple→object?[], list→List&lt;object?&gt;, dict/OrderedDict→Dictionary&lt;object, object?&gt; (insertion order kept).
/// Other objects go through <see cref="Reduce"/>, else become <see cref="PyObject"/>.
/// </summary>
public sealed class PickleReader
{
    /// <summary>Maps callable(args) to a value; return null to keep a generic <see cref="PyObject"/>.</summary>
    public Func<PyGlobal, object?[], object?>? Reduce { get; init; }

    /// <summary>What errors call the data (the file's path), so a refusal names the file.</summary>
    public string Source { get; init; } = "pickle";

    /// <summary>Resolves BINPERSID ids (torch storages).</summary>
    public Func<object?, object?>? PersistentLoad { get; init; }

    static readonly object Mark = new();

    public object? Load(Stream s)
    {
        var stack = new List<object?>();
        var marks = new Stack<int>();
        var memo = new Dictionary<long, object?>();
        var r = new BinaryReader(s, Encoding.UTF8, leaveOpen: true);
        object? Pop() { var v = stack[^1]; stack.RemoveAt(stack.Count - 1); return v; }
        List<object?> PopMark() { var m = marks.Pop(); var items = stack.GetRange(m, stack.Count - m); stack.RemoveRange(m, stack.Count - m); return items; }
        string Line() { var sb = new StringBuilder(); int c; while ((c = s.ReadByte()) != '\n') { if (c < 0) throw Eof(); sb.Append((char)c); } return sb.ToString(); }
        byte[] Bytes(long n) { var b = r.ReadBytes(checked((int)n)); if (b.Length != n) throw Eof(); return b; }

        while (true)
        {
            var op = s.ReadByte();
            if (op < 0) throw Eof();
            switch (op)
            {
                case 0x80: s.ReadByte(); break;                         // PROTO
                case 0x95: r.ReadInt64(); break;                        // FRAME
                case '.': return Pop();                                 // STOP
                case '(': marks.Push(stack.Count); break;               // MARK
                case '}': stack.Add(new Dictionary<object, object?>()); break;
                case ']': stack.Add(new List<object?>()); break;
                case ')': stack.Add(Array.Empty<object?>()); break;
                case 0x8f: stack.Add(new HashSet<object?>()); break;    // EMPTY_SET
                case 't': stack.Add(PopMark().ToArray()); break;        // TUPLE
                case 0x85: stack.Add(new[] { Pop() }); break;           // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); stack.Add(new[] { a, b }); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); stack.Add(new[] { a, b, c }); break; }
                case 'l': stack.Add(PopMark()); break;                  // LIST
                case 'd': { var items = PopMark(); var d = new Dictionary<object, object?>(); for (var i = 0; i < items.Count; i += 2) d[items[i]!] = items[i + 1]; stack.Add(d); break; }
                case 'a': { var v = Pop(); ((List<object?>)stack[^1]!).Add(v); break; }   // APPEND
                case 'e': { var items = PopMark(); ((List<object?>)stack[^1]!).AddRange(items); break; }
                case 's': { var v = Pop(); var k = Pop(); ((Dictionary<object, object?>)stack[^1]!)[k!] = v; break; }
                case 'u': { var items = PopMark(); var d = (Dictionary<object, object?>)stack[^1]!; for (var i = 0; i < items.Count; i += 2) d[items[i]!] = items[i + 1]; break; }
                case 0x90: { var items = PopMark(); var set = (HashSet<object?>)stack[^1]!; foreach (var i in items) set.Add(i); break; }
                case 'J': stack.Add((long)r.ReadInt32()); break;        // BININT
                case 'K': stack.Add((long)s.ReadByte()); break;         // BININT1
                case 'M': stack.Add((long)r.ReadUInt16()); break;       // BININT2
                case 'I': { var t = Line(); stack.Add(t == "01" ? true : t == "00" ? false : long.Parse(t)); break; }
                case 'L': stack.Add(long.Parse(Line().TrimEnd('L'))); break;
                case 0x8a: stack.Add(Long(Bytes(s.ReadByte()))); break; // LONG1
                case 0x8b: stack.Add(Long(Bytes(r.ReadInt32()))); break; // LONG4
                case 'G': stack.Add(BinaryPrimitives.ReadDoubleBigEndian(Bytes(8))); break;
                case 'F': stack.Add(double.Parse(Line(), System.Globalization.CultureInfo.InvariantCulture)); break;
                case 'N': stack.Add(null); break;
                case 0x88: stack.Add(true); break;
                case 0x89: stack.Add(false); break;
                case 'X': stack.Add(Encoding.UTF8.GetString(Bytes(r.ReadUInt32()))); break;
                case 0x8c: stack.Add(Encoding.UTF8.GetString(Bytes(s.ReadByte()))); break;
                case 0x8d: stack.Add(Encoding.UTF8.GetString(Bytes(r.ReadInt64()))); break;
                case 'T': stack.Add(Encoding.Latin1.GetString(Bytes(r.ReadInt32()))); break;  // BINSTRING
                case 'U': stack.Add(Encoding.Latin1.GetString(Bytes(s.ReadByte()))); break;   // SHORT_BINSTRING
                case 'B': stack.Add(Bytes(r.ReadUInt32())); break;      // BINBYTES
                case 'C': stack.Add(Bytes(s.ReadByte())); break;        // SHORT_BINBYTES
                case 0x8e: stack.Add(Bytes(r.ReadInt64())); break;      // BINBYTES8
                case 0x96: stack.Add(Bytes(r.ReadInt64())); break;      // BYTEARRAY8
                case 'c': { var module = Line(); var name = Line(); stack.Add(Allowed(new PyGlobal(module, name))); break; }   // GLOBAL
                case 0x93: { var name = (string)Pop()!; var module = (string)Pop()!; stack.Add(Allowed(new PyGlobal(module, name))); break; }   // STACK_GLOBAL
                case 'R': { var args = (object?[])Pop()!; var f = (PyGlobal)Pop()!; stack.Add(Call(f, args)); break; }
                case 0x81: { var args = (object?[])Pop()!; var cls = (PyGlobal)Pop()!; stack.Add(Call(cls, args)); break; }  // NEWOBJ
                case 'b': { var state = Pop(); if (stack[^1] is PyObject o) o.State = state; break; }   // BUILD
                case 'Q': stack.Add(PersistentLoad is null ? throw new InvalidDataException("pickle has persistent ids but no loader was given") : PersistentLoad(Pop())); break;
                case 'p': memo[long.Parse(Line())] = stack[^1]; break;
                case 'q': memo[s.ReadByte()] = stack[^1]; break;
                case 'r': memo[r.ReadUInt32()] = stack[^1]; break;
                case 0x94: memo[memo.Count] = stack[^1]; break;         // MEMOIZE
                case 'g': stack.Add(memo[long.Parse(Line())]); break;
                case 'h': stack.Add(memo[s.ReadByte()]); break;
                case 'j': stack.Add(memo[r.ReadUInt32()]); break;
                case '0': Pop(); break;
                case '1': PopMark(); break;
                case '2': stack.Add(stack[^1]); break;
                default: throw new InvalidDataException($"unsupported pickle opcode 0x{op:x2} at byte {s.Position - 1}");
            }
        }
    }

    PyGlobal Allowed(PyGlobal g) => PickleAllowList.Allows(g) ? g
        : throw new InvalidDataException(
            $"{Source}: refused pickle global '{g}': a weights file references only torch tensor/storage rebuilders, containers and numpy arrays; " +
            "this file would run code when loaded by Python's pickle (malicious or not a weights file), so it is not read");

    object? Call(PyGlobal f, object?[] args)
    {
        Allowed(f);   // REDUCE / NEWOBJ targets come from GLOBAL, already checked; kept for any future path to Call
        if (Reduce?.Invoke(f, args) is { } mapped) return mapped;
        switch (f.Module, f.Name)
        {
            case ("collections", "OrderedDict"): return new Dictionary<object, object?>();
            case ("_codecs", "encode"): return Encoding.Latin1.GetBytes((string)args[0]!);
            case ("builtins", "bytearray") when args.Length == 0: return Array.Empty<byte>();
            default: return new PyObject(f, args);
        }
    }

    static object Long(byte[] le)
    {
        if (le.Length == 0) return 0L;
        var v = new BigInteger(le, isUnsigned: false, isBigEndian: false);
        return v >= long.MinValue && v <= long.MaxValue ? (long)v : v;
    }

    static InvalidDataException Eof() => new("pickle ends early (truncated file?)");
}
