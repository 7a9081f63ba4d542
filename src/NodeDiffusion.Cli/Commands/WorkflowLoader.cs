using System.Text.Json;
using NodeDiffusion.Graph.Validation;
using NodeDiffusion.Graph.Workflows;

namespace NodeDiffusion.Cli.Commands;

/// <summary>Loads a workflow file and applies --set overrides (NODE.INPUT=VALUE; VALUE is JSON, or else a string).</summary>
internal static class WorkflowLoader
{
    public static (Workflow? Workflow, IReadOnlyList<ValidationError> Errors) Load(string path, IEnumerable<string> overrides)
    {
        var parsed = WorkflowJson.ParseFile(path);
        if (!parsed.Success)
        {
            return (null, parsed.Errors);
        }
        var workflow = parsed.Workflow!;
        var errors = new List<ValidationError>();
        foreach (var assignment in overrides)
        {
            var equals = assignment.IndexOf('=');
            var dot = equals < 0 ? -1 : assignment.LastIndexOf('.', equals);
            if (equals < 0 || dot <= 0)
            {
                errors.Add(new ValidationError(ValidationCodes.InvalidJson, $"--set \"{assignment}\" must look like NODE.INPUT=VALUE."));
                continue;
            }
            var nodeId = assignment[..dot];
            var input = assignment[(dot + 1)..equals];
            var text = assignment[(equals + 1)..];
            if (!workflow.Nodes.TryGetValue(nodeId, out var node))
            {
                errors.Add(new ValidationError(ValidationCodes.DanglingLink, $"--set names node \"{nodeId}\", which the workflow does not have.", nodeId, null, input));
                continue;
            }
            node.Inputs[input] = ParseValue(text);
            node.Links.Remove(input);
        }
        return (errors.Count == 0 ? workflow : null, errors);
    }

    private static JsonElement ParseValue(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(text);
        }
    }
}
