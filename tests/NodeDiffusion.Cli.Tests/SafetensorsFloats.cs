using System.Text.Json;

namespace NodeDiffusion.Cli.Tests;

/// <summary>
/// Reads float32 tensors from a safetensors file by hand (8-byte header length, JSON header, data), independently
/// of the production reader, so the CLI's outputs and the fixtures are compared through a second implementation.
/// </summary>
internal sealed class SafetensorsFloats
{
    private readonly Dictionary<string, (long[] Shape, float[] Values)> _tensors = [];

    public SafetensorsFloats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BitConverter.ToUInt64(bytes, 0);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__" || entry.Value.GetProperty("dtype").GetString() != "F32")
            {
                continue;
            }
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(o => (int)o.GetInt64()).ToArray();
            var values = new float[(offsets[1] - offsets[0]) / 4];
            Buffer.BlockCopy(bytes, 8 + headerLength + offsets[0], values, 0, offsets[1] - offsets[0]);
            _tensors[entry.Name] = (shape, values);
        }
    }

    public IReadOnlyCollection<string> Names => _tensors.Keys;

    public (long[] Shape, float[] Values) this[string name] =>
        _tensors.TryGetValue(name, out var tensor) ? tensor : throw new KeyNotFoundException($"no float32 tensor '{name}'");

    /// <summary>Max |a − b| over two same-shaped tensors.</summary>
    public static double MaxAbsError((long[] Shape, float[] Values) actual, (long[] Shape, float[] Values) expected)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        double max = 0;
        for (var i = 0; i < expected.Values.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)actual.Values[i] - expected.Values[i]));
        }
        return max;
    }
}
