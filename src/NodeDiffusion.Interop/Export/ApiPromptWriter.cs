using System.Text.Json;
using System.Text.Json.Nodes;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.Import;

namespace NodeDiffusion.Interop.Export;

/// <summary>
/// Writes ComfyUI's API prompt as the frontend's graphToPrompt does: muted nodes are left out, bypassed nodes are left out
/// and their consumers are wired to the bypassed node's input of the same type, reroutes (virtual, as in ComfyUI) are left
/// out and their consumers wired to the reroute's source, links are <c>[id, output]</c>,
/// and array values are wrapped in <c>{"__value__": …}</c>.
/// </summary>
internal sealed class ApiPromptWriter(ComfyExportOptions options, Dictionary<string, ExportNode> nodes, List<InteropIssue> issues)
{
    public JsonObject Write()
    {
        var prompt = new JsonObject();
        foreach (var (id, export) in nodes)
        {
            if (export.Node.Mode != NodeMode.Normal || Reroute.Is(export.Node.Type))
            {
                continue;
            }
            var inputs = new JsonObject();
            // A widget converted to an input and left unlinked is not sent, as graphToPrompt does.
            var converted = ConvertedWidgets.Of(export.Node);
            foreach (var (name, value) in export.Node.Inputs)
            {
                if (!export.Node.Links.ContainsKey(name) && !converted.Contains(name))
                {
                    inputs[export.ComfyInput(name)] = Value(value);
                }
            }
            if (export.Node.Extra.TryGetValue(InteropKeys.UnknownInputs, out var unknown) && unknown.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in unknown.EnumerateObject())
                {
                    inputs[property.Name] ??= Value(property.Value);
                }
            }
            if (export.Schema is null && export.Node.Extra.ContainsKey(InteropKeys.WidgetsValues))
            {
                issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.ValueNotExported,
                    "This placeholder's widget values have no names, so the API prompt cannot carry them.", id, export.ComfyClass));
            }
            foreach (var (name, link) in export.Node.Links)
            {
                if (Resolve(link, id, name) is { } source)
                {
                    inputs[export.ComfyInput(name)] = new JsonArray(source.Node, source.Output);
                }
            }
            prompt[id] = new JsonObject
            {
                ["inputs"] = inputs,
                ["class_type"] = export.ComfyClass,
                ["_meta"] = new JsonObject { ["title"] = export.Node.Layout?.Title ?? export.ComfyClass },
            };
        }
        return prompt;
    }

    /// <summary>The link after passing through bypassed nodes; null (and an issue) when it ends at a muted or missing node.</summary>
    private LinkRef? Resolve(LinkRef link, string consumer, string input)
    {
        for (var hops = 0; hops <= options.MaxBypassHops; hops++)
        {
            if (!nodes.TryGetValue(link.Node, out var source))
            {
                return Drop(consumer, input, $"its source node {link.Node} does not exist");
            }
            if (Reroute.Is(source.Node.Type) && source.Node.Mode != NodeMode.Muted)
            {
                if (!source.Node.Links.TryGetValue(Reroute.InputName, out var fed))
                {
                    return Drop(consumer, input, $"reroute {link.Node} has no input");
                }
                link = fed;
                continue;
            }
            switch (source.Node.Mode)
            {
                case NodeMode.Normal:
                    return link;
                case NodeMode.Muted:
                    return Drop(consumer, input, $"its source node {link.Node} is muted");
            }
            if (PassThrough(source, link.Output) is not { } upstream)
            {
                return Drop(consumer, input, $"bypassed node {link.Node} has no linked input of the type of output {link.Output}");
            }
            link = upstream;
        }
        return Drop(consumer, input, "it passes through too many bypassed nodes or reroutes");
    }

    /// <summary>
    /// The frontend's rule: among the bypassed node's socket inputs (link inputs, required first), the one at the output's
    /// slot if its type matches, else the first of that type; when that input is not linked, nothing passes.
    /// </summary>
    private static LinkRef? PassThrough(ExportNode bypassed, int output)
    {
        if (bypassed.OutputType(output) is not { } type || bypassed.Schema is not { } schema)
        {
            return null;
        }
        var sockets = schema.Inputs.Where(i => !i.IsWidget).OrderBy(i => i.Optional).ToList();
        var chosen = output < sockets.Count && sockets[output].Type == type ? sockets[output] : sockets.FirstOrDefault(i => i.Type == type);
        return chosen is not null && bypassed.Node.Links.TryGetValue(chosen.Name, out var link) ? link : null;
    }

    private LinkRef? Drop(string consumer, string input, string why)
    {
        issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.LinkDropped, $"The link into this input was left out: {why}.",
            consumer, nodes[consumer].ComfyClass, input));
        return null;
    }

    private static JsonNode? Value(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array
            ? new JsonObject { ["__value__"] = JsonNode.Parse(value.GetRawText()) }
            : JsonNode.Parse(value.GetRawText());
}
