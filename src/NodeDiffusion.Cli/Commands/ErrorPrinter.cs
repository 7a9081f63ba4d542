using System.Text.Json;
using System.Text.Json.Nodes;
using NodeDiffusion.Graph.Validation;

namespace NodeDiffusion.Cli.Commands;

/// <summary>Prints validation errors for people (one per line) or for programs (JSON).</summary>
internal static class ErrorPrinter
{
    public static void Print(string file, IReadOnlyList<ValidationError> errors, TextWriter writer)
    {
        writer.WriteLine($"{file}: {errors.Count} error(s)");
        foreach (var error in errors)
        {
            writer.WriteLine("  " + error);
        }
    }

    public static JsonArray ToJson(IReadOnlyList<ValidationError> errors) => new(errors.Select(e => (JsonNode?)new JsonObject
    {
        ["code"] = e.Code,
        ["message"] = e.Message,
        ["node_id"] = e.NodeId,
        ["node_type"] = e.NodeType,
        ["input_name"] = e.InputName,
    }).ToArray());

    public static readonly JsonSerializerOptions Indented = new(JsonSerializerOptions.Default) { WriteIndented = true };
}
