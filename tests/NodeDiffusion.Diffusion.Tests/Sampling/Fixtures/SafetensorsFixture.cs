using System.Buffers.Binary;
using System.Text.Json;

namespace NodeDiffusion.Diffusion.Tests.Sampling.Fixtures;

/// <summary>Minimal test-only reader for the float32 tensors in the reference .safetensors files.</summary>
public sealed class SafetensorsFixture
{
    private readonly Dictionary<string, (int[] Shape, float[] Data)> _tensors = new(StringComparer.Ordinal);

    private SafetensorsFixture()
    {
    }

    public IReadOnlyCollection<string> Names => _tensors.Keys;

    public static SafetensorsFixture Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        var dataStart = 8 + headerLength;
        var fixture = new SafetensorsFixture();
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                continue;
            }
            var dtype = entry.Value.GetProperty("dtype").GetString();
            if (dtype != "F32")
            {
                throw new InvalidDataException($"{entry.Name}: only F32 tensors are supported, got {dtype}");
            }
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var span = bytes.AsSpan(dataStart + (int)offsets[0], (int)(offsets[1] - offsets[0]));
            var data = new float[span.Length / 4];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = BinaryPrimitives.ReadSingleLittleEndian(span.Slice(i * 4, 4));
            }
            fixture._tensors[entry.Name] = (shape, data);
        }
        return fixture;
    }

    public float[] Get(string name) =>
        _tensors.TryGetValue(name, out var tensor) ? tensor.Data : throw new KeyNotFoundException($"tensor {name} not in fixture");

    public int[] Shape(string name) => _tensors[name].Shape;

    public bool Contains(string name) => _tensors.ContainsKey(name);
}
