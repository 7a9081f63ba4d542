using System.IO.Compression;
using System.Text;
using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Formats.Torch;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Models.Tests.Formats;

public sealed class TorchCheckpointTests
{
    [Fact]
    public void RealHalfPrecisionCheckpointIsListedAndConverted()
    {
        using var checkpoint = TorchCheckpoint.Open(SharedData.Require("real-data/taesd/taef2_encoder.pth"));
        Assert.Equal(79, checkpoint.Tensors.Count);
        Assert.Equal(1_338_528L, checkpoint.Tensors.Sum(t => t.ElementCount));
        var first = checkpoint.GetInfo("0.weight");
        Assert.Equal(SafetensorsDType.F16, first.DType);
        Assert.Equal([64L, 3, 3, 3], first.Shape);
        Assert.Contains(checkpoint.ReadFloat32("0.weight"), v => v != 0);
    }

    [Fact]
    public void PickleGlobalsOutsideAStateDictAreRefused()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("evil.pt");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var stream = zip.CreateEntry("archive/data.pkl", CompressionLevel.NoCompression).Open();
            // protocol 2: GLOBAL os.system, the string "true", TUPLE1, REDUCE, STOP
            var bytes = new List<byte> { 0x80, 0x02 };
            bytes.AddRange(Encoding.ASCII.GetBytes("cos\nsystem\n"));
            bytes.Add((byte)'X');
            bytes.AddRange(BitConverter.GetBytes(4));
            bytes.AddRange(Encoding.ASCII.GetBytes("true"));
            bytes.AddRange([0x85, (byte)'R', (byte)'.']);
            stream.Write(bytes.ToArray());
        }
        var error = Assert.Throws<TorchFormatException>(() => TorchCheckpoint.Open(path));
        Assert.Contains("refusing pickle global os.system", error.Message);
        Assert.Contains(path, error.Message);
    }
}
