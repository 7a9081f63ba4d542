using System.Globalization;
using System.Text.Json;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Schema;

namespace NodeDiffusion.Server.Editor;

/// <summary>Widget values as JSON: defaults, text for the inputs, and parsing what the user typed (clamped to the limits).</summary>
public static class WidgetValues
{
    public static JsonElement Default(InputSpec input) => input.Default switch
    {
        null when input.Type == PortTypes.Boolean => JsonSerializer.SerializeToElement(false),
        null when input.Type is PortTypes.Int or PortTypes.Float => JsonSerializer.SerializeToElement(input.Min is > 0 ? input.Min.Value : 0m),
        null => JsonSerializer.SerializeToElement(""),
        var value => JsonSerializer.SerializeToElement(value),
    };

    public static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "",
    };

    public static bool IsTrue(JsonElement value) => value.ValueKind == JsonValueKind.True;

    /// <summary>A number typed into an INT or FLOAT widget, clamped to its limits; null when it is not a number.</summary>
    public static JsonElement? ParseNumber(InputSpec input, string? text)
    {
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }
        if (input.Type == PortTypes.Int)
        {
            number = decimal.Round(number, MidpointRounding.ToEven);
        }
        if (input.Min is { } min && number < min)
        {
            number = min;
        }
        if (input.Max is { } max && number > max)
        {
            number = max;
        }
        return input.Type == PortTypes.Int
            ? JsonSerializer.SerializeToElement(number)
            : JsonSerializer.SerializeToElement((double)number);
    }

    public static JsonElement String(string? text) => JsonSerializer.SerializeToElement(text ?? "");

    public static JsonElement Boolean(bool value) => JsonSerializer.SerializeToElement(value);

    public static string Step(InputSpec input) =>
        input.Step is { } step ? step.ToString(CultureInfo.InvariantCulture) : input.Type == PortTypes.Int ? "1" : "any";

    public static string? Bound(decimal? value) => value is { } v && Math.Abs(v) < 1e15m ? v.ToString(CultureInfo.InvariantCulture) : null;
}
