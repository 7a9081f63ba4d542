using System.Text.Json;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.Json;

namespace NodeDiffusion.Interop.Import;

/// <summary>Reads ComfyUI's API prompt: <c>{id: {class_type, inputs: {name: value | [source_id, output]}, _meta: {title}}}</c>.</summary>
internal static class ApiPromptReader
{
    public static List<ComfyNode> Read(JsonElement prompt, List<InteropIssue> issues)
    {
        var nodes = new List<ComfyNode>();
        foreach (var property in prompt.EnumerateObject())
        {
            if (nodes.Count >= WorkflowLimits.MaxNodes)
            {
                issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.TooLarge,
                    $"The prompt has more than {WorkflowLimits.MaxNodes:N0} nodes; the rest were not imported."));
                break;
            }
            var classType = JsonRead.String(property.Value, "class_type");
            if (classType is null)
            {
                issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.NodeDropped,
                    "This entry has no class_type, so it is not a node; it was left out.", property.Name));
                continue;
            }
            var node = new ComfyNode { Id = property.Name, ClassType = classType };
            if (JsonRead.Property(property.Value, "inputs") is { ValueKind: JsonValueKind.Object } inputs)
            {
                foreach (var input in inputs.EnumerateObject())
                {
                    ReadInput(node, input.Name, input.Value);
                }
            }
            if (JsonRead.String(JsonRead.Property(property.Value, "_meta"), "title") is { } title && title != classType)
            {
                node.Layout = new NodeLayout(Title: title);
            }
            nodes.Add(node);
        }
        return nodes;
    }

    private static void ReadInput(ComfyNode node, string name, JsonElement value)
    {
        if (IsLink(value, out var link))
        {
            node.Links[name] = link;
        }
        else if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("__value__", out var wrapped))
        {
            node.Values[name] = wrapped.Clone();
        }
        else
        {
            node.Values[name] = value.Clone();
        }
    }

    /// <summary>ComfyUI's rule: a list of two items, a node id and an output index, is a link.</summary>
    private static bool IsLink(JsonElement value, out LinkRef link)
    {
        link = default;
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 2)
        {
            return false;
        }
        var source = JsonRead.Id(value[0]);
        var output = value[1].ValueKind == JsonValueKind.Number && value[1].TryGetInt32(out var index) && index >= 0 ? index : (int?)null;
        if (source is null || output is null)
        {
            return false;
        }
        link = new LinkRef(source, output.Value);
        return true;
    }
}
