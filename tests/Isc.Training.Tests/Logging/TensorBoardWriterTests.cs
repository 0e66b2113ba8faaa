using System.Buffers.Binary;
using System.Text;
using Isc.Training.Logging;

namespace Isc.Training.Tests.Logging;

[TestFixture]
public class TensorBoardWriterTests
{
    [Test]
    public void Crc32CMatchesTheStandardCheckValue() =>
        Assert.That(TensorBoardWriter.Crc32C(Encoding.ASCII.GetBytes("123456789")), Is.EqualTo(0xE3069283u));

    [Test]
    public void WritesFramedRecordsWithValidChecksumsAndTheTags()
    {
        var dir = Directory.CreateTempSubdirectory("isc-tb-").FullName;
        try
        {
            string path;
            using (var tb = new TensorBoardWriter(dir))
            {
                tb.Scalar("train/loss", 1.5f, 7);
                tb.Scalar("train/lr", 0.25f, 8);
                path = tb.Path;
            }
            var bytes = File.ReadAllBytes(path);
            var records = new List<byte[]>();
            for (var pos = 0; pos < bytes.Length;)
            {
                var len = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(pos));
                Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(pos + 8)), Is.EqualTo(TensorBoardWriter.MaskedCrc(bytes.AsSpan(pos, 8))));
                var data = bytes.AsSpan(pos + 12, len);
                Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(pos + 12 + len)), Is.EqualTo(TensorBoardWriter.MaskedCrc(data)));
                records.Add(data.ToArray());
                pos += 12 + len + 4;
            }
            Assert.That(records, Has.Count.EqualTo(3));
            Assert.That(Encoding.ASCII.GetString(records[0]), Does.Contain("brain.Event:2"));
            Assert.That(Encoding.ASCII.GetString(records[1]), Does.Contain("train/loss"));
            Assert.That(records[1].AsSpan().IndexOf(BitConverter.GetBytes(1.5f)), Is.GreaterThan(0));
            Assert.That(records[1].AsSpan().IndexOf(new byte[] { 0x10, 7 }), Is.GreaterThan(0), "step field 2 = 7");
        }
        finally { Directory.Delete(dir, true); }
    }
}
