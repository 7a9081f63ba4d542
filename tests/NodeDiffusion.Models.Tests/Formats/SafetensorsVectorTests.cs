using System.Text.Json;
using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Models.Tests.Formats;

/// <summary>The upstream safetensors test vectors: every file is accepted or rejected exactly as the reference reader does.</summary>
public sealed class SafetensorsVectorTests
{
    private const string VectorsPath = "real-data/safetensors-vectors/safetensors_test_vectors.json";

    private static readonly HashSet<string> WriterOutputs =
    [
        "serialization_f32_1x2x3", "serialization_forced_alignment", "serialization_empty",
        "serialization_empty_with_metadata", "python_serialization_f16_order",
    ];

    public static TheoryData<string> VectorNames()
    {
        var data = new TheoryData<string>();
        var path = Path.Combine(SharedData.Root, VectorsPath);
        if (!File.Exists(path))
        {
            data.Add("(vectors absent)");
            return data;
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var v in doc.RootElement.GetProperty("vectors").EnumerateArray())
        {
            data.Add(v.GetProperty("name").GetString()!);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void VectorIsReadAsUpstreamExpects(string name)
    {
        var path = SharedData.Require(VectorsPath);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var vector = doc.RootElement.GetProperty("vectors").EnumerateArray().Single(v => v.GetProperty("name").GetString() == name);
        var bytes = Convert.FromBase64String(vector.GetProperty("bytes_b64").GetString()!);
        var expect = vector.GetProperty("expect");

        using var temp = new TempDirectory();
        var file = temp.Combine(name + ".safetensors");
        File.WriteAllBytes(file, bytes);

        if (!expect.GetProperty("ok").GetBoolean())
        {
            var expected = expect.GetProperty("error").GetString()!.Split(' ')[0];
            var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(file));
            TestContext.Current.SendDiagnosticMessage($"{name}: {error.Message}");
            Assert.Equal(expected, error.Error.ToString());
            Assert.Contains(file, error.Message);
            return;
        }

        using var st = SafetensorsFile.Open(file);
        var tensors = expect.GetProperty("tensors");
        Assert.Equal(tensors.EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal), st.Names.OrderBy(n => n, StringComparer.Ordinal));
        foreach (var t in tensors.EnumerateObject())
        {
            var info = st.GetInfo(t.Name);
            Assert.Equal(t.Value.GetProperty("dtype").GetString(), info.DType.ToString());
            Assert.Equal(t.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), info.Shape);
            if (t.Value.TryGetProperty("data_hex", out var hex))
            {
                Assert.Equal(hex.GetString(), Convert.ToHexStringLower(st.GetBytes(t.Name)));
            }
            if (t.Value.TryGetProperty("values", out var values))
            {
                Assert.Equal(values.EnumerateArray().Select(e => e.GetSingle()), st.ReadFloat32(t.Name));
            }
        }
        var metadata = expect.TryGetProperty("metadata", out var m)
            ? m.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : new Dictionary<string, string>();
        Assert.Equal(metadata.OrderBy(p => p.Key), st.Metadata.OrderBy(p => p.Key));

        if (WriterOutputs.Contains(name))
        {
            var rewritten = SafetensorsWriter.ToBytes(
                st.Tensors.Select(i => new SafetensorsTensor(i.Name, i.DType, i.Shape, st.GetBytes(i).ToArray())),
                st.Metadata);
            Assert.Equal(Convert.ToHexStringLower(bytes), Convert.ToHexStringLower(rewritten));
        }
    }
}
