using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Schema;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.Import;
using NodeDiffusion.Interop.Json;
using NodeDiffusion.Interop.Schemas;

namespace NodeDiffusion.Interop.Export;

/// <summary>
/// Writes the ComfyUI editor's workflow, schema 0.4: numeric node ids, a link table, positional <c>widgets_values</c>
/// in the class's widget order with the frontend-only values (control_after_generate, upload) in their places.
/// </summary>
internal sealed class UiWorkflowWriter(ComfyExportOptions options, Workflow workflow, Dictionary<string, ExportNode> nodes, List<InteropIssue> issues)
{
    private static readonly double[] DefaultSize = [315, 100];
    private static readonly double[] RerouteSize = [75, 26];

    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<JsonArray> _links = [];
    /// <summary>Link ids leaving each (node, output).</summary>
    private readonly Dictionary<(string Node, int Output), List<int>> _outgoing = [];

    public JsonObject Write()
    {
        AssignIds();
        var inputsByNode = nodes.Keys.ToDictionary(id => id, BuildInputs);
        var order = ExecutionOrder();
        var nodeArray = new JsonArray();
        var index = 0;
        foreach (var (id, export) in nodes)
        {
            nodeArray.Add(WriteNode(id, export, inputsByNode[id], order.GetValueOrDefault(id, index), index));
            index++;
        }
        var lastId = _ids.Values.DefaultIfEmpty(0).Max();
        AddNotes(nodeArray, ref lastId);
        var document = new JsonObject
        {
            ["last_node_id"] = lastId,
            ["last_link_id"] = _links.Count,
            ["nodes"] = nodeArray,
            ["links"] = new JsonArray([.. _links]),
            ["groups"] = new JsonArray([.. workflow.Groups.Select(WriteGroup)]),
            ["config"] = new JsonObject(),
            ["extra"] = workflow.Viewport is { } viewport
                ? new JsonObject { ["ds"] = new JsonObject { ["scale"] = viewport.Zoom, ["offset"] = new JsonArray(viewport.X, viewport.Y) } }
                : new JsonObject(),
            ["version"] = 0.4,
        };
        if (workflow.Models.Count > 0)
        {
            document["models"] = new JsonArray([.. workflow.Models.Select(WriteModel)]);
        }
        return document;
    }

    private void AssignIds()
    {
        var numeric = nodes.Keys.All(id => int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0);
        var next = 1;
        foreach (var id in nodes.Keys)
        {
            _ids[id] = numeric ? int.Parse(id, CultureInfo.InvariantCulture) : next++;
        }
    }

    private sealed record UiInput(string Name, string Type, int? Link, bool IsWidget);

    /// <summary>Link inputs in schema order (required first, as the frontend builds them), then the widgets that are linked or converted to inputs.</summary>
    private List<UiInput> BuildInputs(string id)
    {
        var export = nodes[id];
        var inputs = new List<UiInput>();
        if (export.Schema is { } schema)
        {
            foreach (var input in schema.Inputs.Where(i => !i.IsWidget).OrderBy(i => i.Optional))
            {
                inputs.Add(new UiInput(export.ComfyInput(input.Name), input.Type, null, false));
            }
            var converted = ConvertedWidgets.Of(export.Node);
            foreach (var input in schema.Inputs.Where(i => i.IsWidget && (export.Node.Links.ContainsKey(i.Name) || converted.Contains(i.Name))))
            {
                inputs.Add(new UiInput(export.ComfyInput(input.Name), input.Type, null, true));
            }
        }
        foreach (var name in export.Node.Links.Keys)
        {
            if (!inputs.Any(i => i.Name == export.ComfyInput(name)))
            {
                inputs.Add(new UiInput(export.ComfyInput(name), "*", null, false));
            }
        }
        for (var slot = 0; slot < inputs.Count; slot++)
        {
            var ourName = export.Node.Links.Keys.FirstOrDefault(n => export.ComfyInput(n) == inputs[slot].Name);
            if (ourName is null)
            {
                continue;
            }
            var link = export.Node.Links[ourName];
            if (!nodes.TryGetValue(link.Node, out var source))
            {
                issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.LinkDropped,
                    $"The link into this input was left out: its source node {link.Node} does not exist.", id, export.ComfyClass, ourName));
                continue;
            }
            var linkId = _links.Count + 1;
            var type = ResolvedOutputType(link) ?? inputs[slot].Type;
            _links.Add(new JsonArray(linkId, _ids[link.Node], link.Output, _ids[id], slot, type));
            if (!_outgoing.TryGetValue((link.Node, link.Output), out var list))
            {
                _outgoing[(link.Node, link.Output)] = list = [];
            }
            list.Add(linkId);
            inputs[slot] = inputs[slot] with { Link = linkId };
        }
        return inputs;
    }

    private JsonObject WriteNode(string id, ExportNode export, List<UiInput> inputs, int order, int index)
    {
        var layout = export.Node.Layout;
        var node = new JsonObject
        {
            ["id"] = _ids[id],
            ["type"] = export.ComfyClass,
            ["pos"] = Numbers(layout?.Position ?? [100 + index % 5 * 350, 100 + index / 5 * 300]),
            ["size"] = Numbers(layout?.Size ?? (IsReroute(export) ? RerouteSize : DefaultSize)),
            ["flags"] = layout?.Collapsed == true ? new JsonObject { ["collapsed"] = true } : new JsonObject(),
            ["order"] = order,
            ["mode"] = export.Node.Mode switch { NodeMode.Muted => 2, NodeMode.Bypassed => 4, _ => 0 },
            ["inputs"] = new JsonArray([.. inputs.Select(WriteInput)]),
            ["outputs"] = new JsonArray([.. Outputs(id, export)]),
        };
        if (layout?.Title is { } title)
        {
            node["title"] = title;
        }
        if (layout?.Color is { } color)
        {
            node["color"] = color;
        }
        if (layout?.BackgroundColor is { } background)
        {
            node["bgcolor"] = background;
        }
        node["properties"] = export.Node.Extra.TryGetValue(InteropKeys.Properties, out var properties) && properties.ValueKind == JsonValueKind.Object
            ? JsonNode.Parse(properties.GetRawText())
            : IsReroute(export) ? new JsonObject { ["showOutputText"] = false, ["horizontal"] = false }
            : new JsonObject { ["Node name for S&R"] = export.ComfyClass };
        if (!IsReroute(export))
        {
            node["widgets_values"] = WidgetsValues(id, export);
        }
        return node;
    }

    private static JsonObject WriteInput(UiInput input)
    {
        var node = new JsonObject { ["name"] = input.Name, ["type"] = input.Type, ["link"] = input.Link };
        if (input.IsWidget)
        {
            node["widget"] = new JsonObject { ["name"] = input.Name };
        }
        return node;
    }

    private IEnumerable<JsonObject> Outputs(string id, ExportNode export)
    {
        // ComfyUI's reroute shows no output name and takes the type of what it carries.
        var outputs = IsReroute(export) ? [("", ResolvedOutputType(new LinkRef(id, 0)) ?? PortTypes.Any)]
            : export.Schema?.Outputs.Select(o => (o.Name, o.Type)).ToList() ?? [];
        var used = _outgoing.Keys.Where(k => k.Node == id).Select(k => k.Output + 1).DefaultIfEmpty(0).Max();
        for (var slot = outputs.Count; slot < used; slot++)
        {
            outputs.Add(("*", "*"));
        }
        return outputs.Select((output, slot) => new JsonObject
        {
            ["name"] = output.Name,
            ["type"] = output.Type,
            ["links"] = _outgoing.TryGetValue((id, slot), out var links) ? new JsonArray([.. links.Select(l => (JsonNode)l)]) : null,
            ["slot_index"] = slot,
        });
    }

    private JsonArray WidgetsValues(string id, ExportNode export)
    {
        var layout = ComfyWidgetOrder.For(export.ComfyClass, export.Mapping, export.Schema, options.ComfySchemas);
        if (layout is null)
        {
            if (export.Node.Extra.TryGetValue(InteropKeys.WidgetsValues, out var raw) && raw.ValueKind == JsonValueKind.Array)
            {
                return (JsonArray)JsonNode.Parse(raw.GetRawText())!;
            }
            // A placeholder imported from an API prompt: its values by name, in the order they were given.
            return new JsonArray([.. export.Node.Inputs.Values.Select(v => JsonNode.Parse(v.GetRawText()))]);
        }
        // A legacy class's older files end early (IPAdapter before weight_type); keep them that short rather than invent values.
        if (export.Mapping is { ComfyWidgets: not null } legacy)
        {
            var lastGiven = -1;
            for (var i = 0; i < layout.Count; i++)
            {
                if (export.Node.Inputs.ContainsKey(legacy.ToOurInput(layout[i].InputName)))
                {
                    lastGiven = i;
                }
            }
            layout = [.. layout.Take(lastGiven + 1)];
        }
        var values = new JsonArray();
        foreach (var slot in layout)
        {
            var ours = export.Mapping?.ToOurInput(slot.InputName) ?? slot.InputName;
            values.Add(slot.Kind switch
            {
                WidgetSlotKind.ControlAfterGenerate => export.Node.Extra.TryGetValue(InteropKeys.ControlAfterGenerate, out var control)
                    ? JsonNode.Parse(control.GetRawText()) : JsonValue.Create("fixed"),
                WidgetSlotKind.Upload => JsonValue.Create("image"),
                _ => WidgetValue(id, export, ours),
            });
        }
        return values;
    }

    private JsonNode? WidgetValue(string id, ExportNode export, string input)
    {
        if (export.Node.Inputs.TryGetValue(input, out var value))
        {
            return JsonNode.Parse(value.GetRawText());
        }
        if (export.Node.Extra.TryGetValue(InteropKeys.UnknownInputs, out var unknown) && unknown.ValueKind == JsonValueKind.Object
            && unknown.TryGetProperty(export.ComfyInput(input), out var kept))
        {
            return JsonNode.Parse(kept.GetRawText());
        }
        if (export.Schema?.FindInput(input)?.Default is { } fallback)
        {
            return fallback is JsonElement element ? JsonNode.Parse(element.GetRawText()) : JsonSerializer.SerializeToNode(fallback);
        }
        issues.Add(new InteropIssue(InteropSeverity.Info, InteropCodes.ValueNotExported,
            "This widget has no value and no default; null was written in its place.", id, export.ComfyClass, input));
        return null;
    }

    private static bool IsReroute(ExportNode export) => Reroute.Is(export.Node.Type);

    /// <summary>The type a link carries: its source's output type, looked up through reroutes (whose own type is "*").</summary>
    private string? ResolvedOutputType(LinkRef link)
    {
        for (var hops = 0; hops <= options.MaxBypassHops && nodes.TryGetValue(link.Node, out var source); hops++)
        {
            if (!IsReroute(source))
            {
                return source.OutputType(link.Output);
            }
            if (!source.Node.Links.TryGetValue(Reroute.InputName, out link))
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>Litegraph's "order": a topological index, which the frontend recomputes on load anyway.</summary>
    private Dictionary<string, int> ExecutionOrder()
    {
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<(string Id, bool Done)>();
        foreach (var start in nodes.Keys)
        {
            stack.Push((start, false));
            while (stack.Count > 0)
            {
                var (id, done) = stack.Pop();
                if (order.ContainsKey(id))
                {
                    continue;
                }
                if (done)
                {
                    order[id] = order.Count;
                    continue;
                }
                if (!visiting.Add(id))
                {
                    continue;
                }
                stack.Push((id, true));
                foreach (var link in nodes[id].Node.Links.Values.Where(l => nodes.ContainsKey(l.Node) && !order.ContainsKey(l.Node)))
                {
                    stack.Push((link.Node, false));
                }
            }
        }
        return order;
    }

    private void AddNotes(JsonArray nodeArray, ref int lastId)
    {
        if (!workflow.Extra.TryGetValue(InteropKeys.Notes, out var notes) || notes.ValueKind != JsonValueKind.Array)
        {
            return;
        }
        var used = _ids.Values.ToHashSet();
        foreach (var note in notes.EnumerateArray())
        {
            var copy = JsonNode.Parse(note.GetRawText())!.AsObject();
            if (JsonRead.Int(JsonRead.Property(note, "id")) is not { } noteId || used.Contains(noteId))
            {
                noteId = ++lastId;
                copy["id"] = noteId;
            }
            used.Add(noteId);
            lastId = Math.Max(lastId, noteId);
            nodeArray.Add(copy);
        }
    }

    private static JsonObject WriteGroup(WorkflowGroup group)
    {
        var node = new JsonObject { ["title"] = group.Title, ["bounding"] = Numbers(group.Bounding) };
        if (group.Color is { } color)
        {
            node["color"] = color;
        }
        if (group.FontSize is { } size)
        {
            node["font_size"] = size;
        }
        return node;
    }

    private static JsonObject WriteModel(ModelReference model)
    {
        var node = new JsonObject { ["name"] = model.Name, ["directory"] = model.Folder };
        if (model.Url is { } url)
        {
            node["url"] = url;
        }
        if (model.Sha256 is { } hash)
        {
            node["hash"] = hash;
            node["hash_type"] = "SHA256";
        }
        return node;
    }

    private static JsonArray Numbers(double[] values) => new([.. values.Select(v => (JsonNode)v)]);
}
