using System.Buffers.Binary;
using System.Text;

namespace Isc.Torch.Runtime;

/// <summary>One symbol-version requirement of an ELF shared library (an entry of <c>.gnu.version_r</c>).</summary>
/// <param name="File">The library the version is needed from, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="AuxOffset">File offset of the <c>Elf64_Vernaux</c> record.</param>
/// <param name="NameOffset">File offset of the version name in <c>.dynstr</c>.</param>
public sealed record VersionNeed(string File, string Name, uint Hash, long AuxOffset, long NameOffset);

/// <summary>
/// Minimal reader/patcher of the GNU symbol-versioning sections of a little-endian ELF64 file:
/// the versions a library needs (<c>.gnu.version_r</c>) and the versions a library defines
/// (<c>.gnu.version_d</c>). Enough to retarget one needed version name in place.
/// </summary>
public static class ElfVersions
{
    const uint ShtGnuVerdef = 0x6ffffffd;
    const uint ShtGnuVerneed = 0x6ffffffe;

    /// <summary>The SysV ELF hash that <c>vna_hash</c>/<c>vd_hash</c> hold for a version name.</summary>
    public static uint ElfHash(string name)
    {
        uint h = 0;
        foreach (var b in Encoding.ASCII.GetBytes(name))
        {
            h = (h << 4) + b;
            var g = h & 0xf0000000;
            if (g != 0) h ^= g >> 24;
            h &= ~g;
        }
        return h;
    }

    public static IReadOnlyList<VersionNeed> ReadNeeds(byte[] elf)
    {
        var result = new List<VersionNeed>();
        foreach (var (sec, strtab) in Sections(elf, ShtGnuVerneed))
        {
            long off = (long)sec.Offset;
            for (var guard = 0; guard < 4096; guard++)
            {
                var cnt = U16(elf, off + 2);
                var file = Str(elf, strtab, U32(elf, off + 4));
                long aux = off + U32(elf, off + 8);
                for (var i = 0; i < cnt; i++)
                {
                    var nameIdx = U32(elf, aux + 8);
                    result.Add(new VersionNeed(file, Str(elf, strtab, nameIdx), U32(elf, aux), aux, strtab + nameIdx));
                    var nextAux = U32(elf, aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                var next = U32(elf, off + 12);
                if (next == 0) break;
                off += next;
            }
        }
        return result;
    }

    /// <summary>Names of the versions a library defines (e.g. GLIBCXX_3.4.30 for libstdc++).</summary>
    public static IReadOnlyList<string> ReadDefinitions(byte[] elf)
    {
        var result = new List<string>();
        foreach (var (sec, strtab) in Sections(elf, ShtGnuVerdef))
        {
            long off = (long)sec.Offset;
            for (var guard = 0; guard < 4096; guard++)
            {
                var aux = off + U32(elf, off + 12);
                if (U16(elf, off + 6) > 0) result.Add(Str(elf, strtab, U32(elf, aux)));
                var next = U32(elf, off + 16);
                if (next == 0) break;
                off += next;
            }
        }
        return result;
    }

    /// <summary>
    /// Renames a needed version to a same-length name and stores that name's hash, editing
    /// <paramref name="elf"/> in memory. The dynamic loader then checks the new name instead.
    /// </summary>
    public static void Retarget(byte[] elf, VersionNeed need, string newName)
    {
        if (newName.Length != need.Name.Length)
            throw new ArgumentException($"'{newName}' must have the length of '{need.Name}' to be written in place");
        var bytes = Encoding.ASCII.GetBytes(newName);
        if (Str(elf, need.NameOffset, 0) != need.Name)
            throw new InvalidDataException($"ELF string at {need.NameOffset} is not '{need.Name}'");
        bytes.CopyTo(elf, need.NameOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(elf.AsSpan((int)need.AuxOffset), ElfHash(newName));
    }

    readonly record struct Section(uint Type, ulong Offset, ulong Size, uint Link);

    static IEnumerable<(Section Sec, long StrTab)> Sections(byte[] elf, uint type)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only little-endian ELF64 files are supported");
        var shoff = (long)U64(elf, 0x28);
        int shentsize = U16(elf, 0x3a), shnum = U16(elf, 0x3c);
        var all = new Section[shnum];
        for (var i = 0; i < shnum; i++)
        {
            var s = shoff + (long)i * shentsize;
            all[i] = new Section(U32(elf, s + 4), U64(elf, s + 0x18), U64(elf, s + 0x20), U32(elf, s + 0x28));
        }
        foreach (var s in all.Where(s => s.Type == type))
            yield return (s, (long)all[s.Link].Offset);
    }

    static ushort U16(byte[] b, long o) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(checked((int)o)));
    static uint U32(byte[] b, long o) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(checked((int)o)));
    static ulong U64(byte[] b, long o) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(checked((int)o)));

    static string Str(byte[] b, long tab, uint idx)
    {
        var start = checked((int)(tab + idx));
        var end = Array.IndexOf(b, (byte)0, start);
        if (end < 0) throw new InvalidDataException("unterminated ELF string");
        return Encoding.ASCII.GetString(b, start, end - start);
    }
}
