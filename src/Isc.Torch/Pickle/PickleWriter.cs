using System.Buffers.Binary;
using System.Collections;
using System.Text;

namespace Isc.Torch.Pickle;

/// <summary>
/// A protocol-2 pickle writer using only the opcodes torch.save emits (so even weights_only loaders accept it):
/// null, bool, int/long/BigInteger (BININT*/LONG1), double (BINFLOAT), string (BINUNICODE), object?[] as tuple,
/// IList as list, IDictionary as dict, <see cref="PyOrderedDict"/>, <see cref="PyGlobal"/>,
/// <see cref="PyObject"/> (REDUCE) and <see cref="PyPersistent"/> (BINPERSID).
/// </summary>
public static class PickleWriter
{
    public static void Write(Stream s, object? root)
    {
        s.WriteByte(0x80); s.WriteByte(2);
        Value(s, root);
        s.WriteByte((byte)'.');
    }

    static void Value(Stream s, object? v)
    {
        switch (v)
        {
            case null: s.WriteByte((byte)'N'); break;
            case bool b: s.WriteByte(b ? (byte)0x88 : (byte)0x89); break;
            case int i: Int(s, i); break;
            case long l: Int(s, l); break;
            case System.Numerics.BigInteger big:
                {
                    var bytes = big.ToByteArray();
                    s.WriteByte(0x8a); s.WriteByte(checked((byte)bytes.Length)); s.Write(bytes);
                    break;
                }
            case double d: Double(s, d); break;
            case float f: Double(s, f); break;
            case string str:
                {
                    var bytes = Encoding.UTF8.GetBytes(str);
                    s.WriteByte((byte)'X'); U32(s, (uint)bytes.Length); s.Write(bytes);
                    break;
                }
            case PyGlobal g:
                s.WriteByte((byte)'c'); s.Write(Encoding.ASCII.GetBytes($"{g.Module}\n{g.Name}\n"));
                break;
            case PyObject o:
                Value(s, o.Callable); Value(s, o.Args); s.WriteByte((byte)'R');
                if (o.State is not null) { Value(s, o.State); s.WriteByte((byte)'b'); }
                break;
            case PyPersistent p: Value(s, p.Id); s.WriteByte((byte)'Q'); break;
            case PyOrderedDict od:
                Value(s, new PyObject(new PyGlobal("collections", "OrderedDict"), []));
                Items(s, od.Select(kv => new KeyValuePair<object?, object?>(kv.Key, kv.Value)));
                break;
            case object?[] tuple:
                switch (tuple.Length)
                {
                    case 0: s.WriteByte((byte)')'); break;
                    case 1: Value(s, tuple[0]); s.WriteByte(0x85); break;
                    case 2: Value(s, tuple[0]); Value(s, tuple[1]); s.WriteByte(0x86); break;
                    case 3: Value(s, tuple[0]); Value(s, tuple[1]); Value(s, tuple[2]); s.WriteByte(0x87); break;
                    default: s.WriteByte((byte)'('); foreach (var x in tuple) Value(s, x); s.WriteByte((byte)'t'); break;
                }
                break;
            case IDictionary d:
                s.WriteByte((byte)'}');
                Items(s, Entries(d));
                break;
            case IList list:
                s.WriteByte((byte)']');
                if (list.Count > 0) { s.WriteByte((byte)'('); foreach (var x in list) Value(s, x); s.WriteByte((byte)'e'); }
                break;
            default: throw new ArgumentException($"cannot pickle a {v.GetType().Name}");
        }
    }

    static IEnumerable<KeyValuePair<object?, object?>> Entries(IDictionary d)
    {
        var e = d.GetEnumerator();
        while (e.MoveNext()) yield return new KeyValuePair<object?, object?>(e.Entry.Key, e.Entry.Value);
    }

    static void Items(Stream s, IEnumerable<KeyValuePair<object?, object?>> items)
    {
        var any = false;
        foreach (var (k, v) in items)
        {
            if (!any) { s.WriteByte((byte)'('); any = true; }
            Value(s, k); Value(s, v);
        }
        if (any) s.WriteByte((byte)'u');
    }

    static void Int(Stream s, long v)
    {
        if (v is >= 0 and < 256) { s.WriteByte((byte)'K'); s.WriteByte((byte)v); }
        else if (v is >= 0 and < 65536) { s.WriteByte((byte)'M'); Span<byte> b = stackalloc byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)v); s.Write(b); }
        else if (v is >= int.MinValue and <= int.MaxValue) { s.WriteByte((byte)'J'); Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteInt32LittleEndian(b, (int)v); s.Write(b); }
        else
        {
            var bytes = new System.Numerics.BigInteger(v).ToByteArray();
            s.WriteByte(0x8a); s.WriteByte((byte)bytes.Length); s.Write(bytes);
        }
    }

    static void Double(Stream s, double d)
    {
        s.WriteByte((byte)'G');
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(b, d);
        s.Write(b);
    }

    static void U32(Stream s, uint v) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); s.Write(b); }
}
