using System.Text;
using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Models.Tests.Formats;

public sealed class SafetensorsReaderTests
{
    [Fact]
    public void WriterRoundTripsFloatHalfAndBFloatTensors()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("mixed.safetensors");
        float[] values = [0.5f, -1.25f, 3f, 1024f];
        var half = values.SelectMany(v => BitConverter.GetBytes((Half)v)).ToArray();
        var bf16 = values.SelectMany(v => BitConverter.GetBytes((ushort)(BitConverter.SingleToInt32Bits(v) >> 16))).ToArray();
        var f64 = values.SelectMany(v => BitConverter.GetBytes((double)v)).ToArray();
        SafetensorsWriter.WriteFile(path,
        [
            SafetensorsTensor.FromFloat32("a.f32", [2, 2], values),
            new SafetensorsTensor("b.f16", SafetensorsDType.F16, [4], half),
            new SafetensorsTensor("c.bf16", SafetensorsDType.BF16, [1, 4], bf16),
            new SafetensorsTensor("d.f64", SafetensorsDType.F64, [4], f64),
        ], new Dictionary<string, string> { ["format"] = "pt" });

        using var st = SafetensorsFile.Open(path);
        Assert.Equal("pt", st.Metadata["format"]);
        foreach (var name in new[] { "a.f32", "b.f16", "c.bf16", "d.f64" })
        {
            Assert.Equal(values, st.ReadFloat32(name));
        }
        Assert.Equal([2L, 2L], st.GetInfo("a.f32").Shape);
    }

    [Fact]
    public void OverlappingTensorsAreRejectedByName()
    {
        var header = """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""";
        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.FromBytes(Build(header, 12), "overlap.safetensors"));
        Assert.Equal(SafetensorsError.InvalidOffset, error.Error);
        Assert.Contains("overlap.safetensors", error.Message);
        Assert.Contains("'b'", error.Message);
    }

    [Fact]
    public void GapBetweenTensorsIsRejected()
    {
        var header = """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""";
        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.FromBytes(Build(header, 12), "gap.safetensors"));
        Assert.Equal(SafetensorsError.InvalidOffset, error.Error);
    }

    [Fact]
    public void UnknownDTypeIsNamed()
    {
        var header = """{"a":{"dtype":"F7","shape":[1],"data_offsets":[0,4]}}""";
        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.FromBytes(Build(header, 4), "dtype.safetensors"));
        Assert.Equal(SafetensorsError.UnknownDType, error.Error);
        Assert.Contains("F7", error.Message);
    }

    [Fact]
    public void MissingTensorIsReportedByName()
    {
        using var st = SafetensorsFile.FromBytes(Build("{}", 0), "empty.safetensors");
        var error = Assert.Throws<SafetensorsFormatException>(() => st.GetInfo("conv_in.weight"));
        Assert.Contains("conv_in.weight", error.Message);
    }

    [Fact]
    public void RealUnalignedHeaderFileIsRead()
    {
        var path = SharedData.Require("real-data/embeddings/EasyNegative.safetensors");
        using var st = SafetensorsFile.Open(path);
        var info = st.GetInfo("emb_params");
        Assert.Equal([8L, 768L], info.Shape);
        var values = st.ReadFloat32("emb_params");
        Assert.All(values, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void RealHalfPrecisionLoraIsRead()
    {
        var path = SharedData.Require("real-data/lora/analog_svd_rank4.safetensors");
        using var st = SafetensorsFile.Open(path);
        Assert.Equal(384, st.Tensors.Count);
        var f16 = st.Tensors.First(t => t.DType == SafetensorsDType.F16);
        var values = st.ReadFloat32(f16.Name);
        Assert.Equal(f16.ElementCount, values.Length);
        Assert.Contains(values, v => v != 0);
        Assert.NotEmpty(st.Metadata);
    }

    private static byte[] Build(string header, int dataLength)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataLength];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), (ulong)json.Length);
        json.CopyTo(bytes, 8);
        return bytes;
    }
}
