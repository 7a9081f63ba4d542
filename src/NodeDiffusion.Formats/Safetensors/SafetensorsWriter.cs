using System.Text;
using System.Text.Json;

namespace NodeDiffusion.Formats.Safetensors;

/// <summary>
/// Writes safetensors byte-for-byte like the reference writer: tensors ordered by dtype alignment (largest first) then name,
/// compact JSON with <c>__metadata__</c> first, header padded with spaces to a multiple of 8.
/// </summary>
public static class SafetensorsWriter
{
    public static void WriteFile(string path, IEnumerable<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var stream = File.Create(path);
        Write(stream, tensors, metadata);
    }

    public static byte[] ToBytes(IEnumerable<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var stream = new MemoryStream();
        Write(stream, tensors, metadata);
        return stream.ToArray();
    }

    public static void Write(Stream stream, IEnumerable<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = tensors
            .OrderByDescending(t => SafetensorsDTypes.SizeOf(t.DType))
            .ThenByDescending(t => t.DType)
            .ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in ordered)
        {
            if (!names.Add(t.Name))
            {
                throw new ArgumentException($"tensor '{t.Name}' is given twice", nameof(tensors));
            }
            long elements = 1;
            foreach (var d in t.Shape)
            {
                elements = checked(elements * d);
            }
            if (elements * SafetensorsDTypes.SizeOf(t.DType) != t.Data.Length)
            {
                throw new ArgumentException($"tensor '{t.Name}': shape [{string.Join(", ", t.Shape)}] of {t.DType} needs {elements * SafetensorsDTypes.SizeOf(t.DType)} bytes, got {t.Data.Length}", nameof(tensors));
            }
        }

        var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is not null && metadata.Count > 0)
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var t in ordered)
            {
                json.WriteStartObject(t.Name);
                json.WriteString("dtype", t.DType.ToString());
                json.WriteStartArray("shape");
                foreach (var d in t.Shape)
                {
                    json.WriteNumberValue(d);
                }
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + t.Data.Length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += t.Data.Length;
            }
            json.WriteEndObject();
        }
        var padding = (int)((8 - header.Length % 8) % 8);
        for (var i = 0; i < padding; i++)
        {
            header.WriteByte((byte)' ');
        }

        Span<byte> length = stackalloc byte[8];
        BitConverter.TryWriteBytes(length, (ulong)header.Length);
        stream.Write(length);
        header.Position = 0;
        header.CopyTo(stream);
        foreach (var t in ordered)
        {
            stream.Write(t.Data.Span);
        }
    }
}
