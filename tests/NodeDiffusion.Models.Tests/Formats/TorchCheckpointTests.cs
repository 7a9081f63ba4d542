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

    [Fact]
    public void PickleEntryDeclaringAHugeSizeIsRefusedBeforeReading()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("huge.pt");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var stream = zip.CreateEntry("archive/data.pkl", CompressionLevel.NoCompression).Open();
            stream.Write([0x80, 0x02, (byte)'}', (byte)'.']);
        }
        DeclareUncompressedSize(path, "archive/data.pkl", 0x7FFF_0000);

        var error = Assert.Throws<TorchFormatException>(() => TorchCheckpoint.Open(path));
        Assert.Contains("archive/data.pkl declares 2147418112 bytes", error.Message);
    }

    [Fact]
    public void StorageEntryOfTheWrongSizeIsRefusedBeforeReading()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("taef2_encoder.pth");
        File.Copy(SharedData.Require("real-data/taesd/taef2_encoder.pth"), path);
        string storage;
        using (var original = TorchCheckpoint.Open(path))
        {
            storage = original.GetInfo("0.weight").StorageKey;
        }
        DeclareUncompressedSize(path, "/data/" + storage, 0x4000_0000);

        using var checkpoint = TorchCheckpoint.Open(path);
        var error = Assert.Throws<TorchFormatException>(() => checkpoint.ReadFloat32("0.weight"));
        Assert.Contains($"storage data/{storage} has 1073741824 bytes, expected 3456", error.Message);
    }

    /// <summary>Rewrites the uncompressed size that the central directory and the local header give for the entry ending in <paramref name="nameSuffix"/>.</summary>
    private static void DeclareUncompressedSize(string path, string nameSuffix, uint size)
    {
        var bytes = File.ReadAllBytes(path);
        var patched = 0;
        for (var i = 0; i + 46 <= bytes.Length; i++)
        {
            var signature = BitConverter.ToUInt32(bytes, i);
            var (sizeOffset, nameLengthOffset, nameOffset) = signature switch
            {
                0x04034b50 => (22, 26, 30),
                0x02014b50 => (24, 28, 46),
                _ => (-1, 0, 0),
            };
            if (sizeOffset < 0)
            {
                continue;
            }
            var nameLength = BitConverter.ToUInt16(bytes, i + nameLengthOffset);
            if (i + nameOffset + nameLength > bytes.Length)
            {
                continue;
            }
            var name = Encoding.UTF8.GetString(bytes, i + nameOffset, nameLength);
            if (name.EndsWith(nameSuffix, StringComparison.Ordinal))
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(i + sizeOffset, 4), size);
                patched++;
            }
        }
        Assert.Equal(2, patched);
        File.WriteAllBytes(path, bytes);
    }
}
