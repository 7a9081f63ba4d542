using System.Globalization;
using System.Text.Json;

namespace NodeDiffusion.Interop.Json;

/// <summary>Tolerant readers for the loosely typed fields of ComfyUI documents.</summary>
internal static class JsonRead
{
    public static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() : null;

    public static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    /// <summary>An id written as a number or a string, as text; null when it is neither.</summary>
    public static string? Id(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.String => element.GetString(),
        _ => null,
    };

    public static int? Int(JsonElement element) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value) ? value
        : element.ValueKind == JsonValueKind.String && int.TryParse(element.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value) ? value
        : null;

    public static double? Double(JsonElement element) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var value) && double.IsFinite(value) ? value : null;

    /// <summary>Numbers from an array or from an object with keys "0", "1", … (older litegraph files).</summary>
    public static double[]? Numbers(JsonElement element, int maxCount = 8)
    {
        IEnumerable<JsonElement>? items = element.ValueKind switch
        {
            JsonValueKind.Array => element.EnumerateArray(),
            JsonValueKind.Object => element.EnumerateObject().Where(p => int.TryParse(p.Name, out _)).OrderBy(p => int.Parse(p.Name, CultureInfo.InvariantCulture)).Select(p => p.Value),
            _ => null,
        };
        if (items is null)
        {
            return null;
        }
        var numbers = items.Take(maxCount).Select(Double).ToList();
        return numbers.Count == 0 || numbers.Any(n => n is null) ? null : [.. numbers.Select(n => n!.Value)];
    }

    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
