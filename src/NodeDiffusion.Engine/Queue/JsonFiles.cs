using System.Text.Json;
using System.Text.Json.Serialization;

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
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(value, Options));
        File.Move(temporary, path, overwrite: true);
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
