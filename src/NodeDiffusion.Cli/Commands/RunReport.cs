using System.Text.Json.Nodes;
using NodeDiffusion.Engine;
using NodeDiffusion.Graph.Validation;

namespace NodeDiffusion.Cli.Commands;

/// <summary>The JSON report of `run --report`: per workflow, every node with status, milliseconds and files written.</summary>
internal sealed class RunReport
{
    private readonly JsonArray _runs = [];

    public void AddInvalid(string file, IReadOnlyList<ValidationError> errors) => _runs.Add(new JsonObject
    {
        ["workflow"] = file,
        ["status"] = "invalid",
        ["errors"] = ErrorPrinter.ToJson(errors),
        ["nodes"] = new JsonArray(),
    });

    public void Add(string file, ExecutionResult result) => _runs.Add(new JsonObject
    {
        ["workflow"] = file,
        ["prompt_id"] = result.PromptId,
        ["status"] = result.Status.ToString().ToLowerInvariant(),
        ["milliseconds"] = Math.Round(result.Milliseconds, 3),
        ["error"] = result.Error is { } error
            ? new JsonObject { ["node_id"] = error.NodeId, ["node_type"] = error.NodeType, ["message"] = error.Message, ["input_name"] = error.InputName }
            : null,
        ["nodes"] = new JsonArray(result.Nodes.Select(n => (JsonNode?)new JsonObject
        {
            ["id"] = n.NodeId,
            ["type"] = n.NodeType,
            ["status"] = n.Status.ToString().ToLowerInvariant(),
            ["milliseconds"] = Math.Round(n.Milliseconds, 3),
            ["files"] = new JsonArray(n.Ui.Items.Values.SelectMany(items => items)
                .Where(item => item.Filename is not null)
                .Select(item => (JsonNode?)new JsonObject { ["filename"] = item.Filename, ["subfolder"] = item.Subfolder, ["type"] = item.Type })
                .ToArray()),
            ["warnings"] = new JsonArray(n.Warnings.Select(w => (JsonNode?)JsonValue.Create(w)).ToArray()),
        }).ToArray()),
    });

    public void Write(string path) =>
        File.WriteAllText(path, new JsonObject { ["runs"] = _runs }.ToJsonString(ErrorPrinter.Indented));
}
