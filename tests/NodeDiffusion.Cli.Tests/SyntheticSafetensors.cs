using System.Text;
using System.Text.Json.Nodes;

namespace NodeDiffusion.Cli.Tests;

/// <summary>Writes small safetensors files: chosen key names and shapes with zero F16 data (for key-layout detection), or one F32 tensor.</summary>
internal static class SyntheticSafetensors
{
    /// <summary>One float32 tensor with real values, e.g. an input for `models eval`.</summary>
    public static string WriteFloat32(string path, string name, long[] shape, float[] values)
    {
        var header = new JsonObject
        {
            [name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(shape.Select(d => (JsonNode?)d).ToArray()),
                ["data_offsets"] = new JsonArray(0, 4L * values.Length),
            },
        };
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var data = new byte[4 * values.Length];
        Buffer.BlockCopy(values, 0, data, 0, data.Length);
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. data]);
        return path;
    }

    public static string Write(string path, IEnumerable<(string Name, long[] Shape)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new JsonObject();
        if (metadata is not null)
        {
            header["__metadata__"] = new JsonObject(metadata.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        }
        long offset = 0;
        foreach (var (name, shape) in tensors)
        {
            var bytes = 2 * shape.Aggregate(1L, (a, b) => a * b);
            header[name] = new JsonObject
            {
                ["dtype"] = "F16",
                ["shape"] = new JsonArray(shape.Select(d => (JsonNode?)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var stream = File.Create(path);
        stream.Write(BitConverter.GetBytes((ulong)json.Length));
        stream.Write(json);
        stream.Write(new byte[offset]);
        return path;
    }
}
