using System.Text;
using Isc.Torch.Pickle;
using Isc.Torch.Serialization;

namespace Isc.Torch.Tests.Pickle;

/// <summary>Reading weights never trusts the file: only allow-listed pickle globals are read.</summary>
[TestFixture]
public class PickleRefusalTests
{
    string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), $"isc-pickle-{Guid.NewGuid():N}"));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    // pickle.dumps of an object whose __reduce__ is (os.system, ("touch x",)), by hand: protocol 2 uses GLOBAL, protocol 4 STACK_GLOBAL.
    static readonly byte[] GlobalPayload =
        [0x80, 2, .. Encoding.ASCII.GetBytes("cposix\nsystem\n"), (byte)'X', 7, 0, 0, 0, .. Encoding.ASCII.GetBytes("touch x"), 0x85, (byte)'R', (byte)'.'];
    static readonly byte[] StackGlobalPayload =
        [0x80, 4, 0x8c, 5, .. Encoding.ASCII.GetBytes("posix"), 0x8c, 6, .. Encoding.ASCII.GetBytes("system"), 0x93,
         0x8c, 7, .. Encoding.ASCII.GetBytes("touch x"), 0x85, (byte)'R', (byte)'.'];

    [TestCase("global")]
    [TestCase("stack_global")]
    public void A_pickle_naming_a_global_off_the_allow_list_is_refused_naming_the_file_and_the_global(string kind)
    {
        var path = Path.Combine(_dir, $"evil_{kind}.pkl");
        File.WriteAllBytes(path, kind == "global" ? GlobalPayload : StackGlobalPayload);
        var e = Assert.Throws<InvalidDataException>(() => TorchFile.Load(path))!;
        Assert.That(e.Message, Does.StartWith(path).And.Contain("refused pickle global 'posix.system'"));
    }

    [Test]
    public void The_reader_refuses_at_the_global_whatever_the_caller_maps()
    {
        var reader = new PickleReader { Source = "x.pkl", Reduce = (_, _) => "mapped" };
        var e = Assert.Throws<InvalidDataException>(() => reader.Load(new MemoryStream(GlobalPayload)))!;
        Assert.That(e.Message, Does.StartWith("x.pkl: refused pickle global 'posix.system'"));
    }
}
