using System.Text.Json;
using System.Text.Json.Serialization;
using NodeDiffusion.Graph.Files;

namespace NodeDiffusion.Engine.Queue;

/// <summary>Small JSON files written atomically (temp file + rename), so a crash never leaves half a record.</summary>
internal static class JsonFiles
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void Write<T>(string path, T value)
    {
        AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(value, Options));
    }

    public static T? Read<T>(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllBytes(path), Options);
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            return default;
        }
    }
}
