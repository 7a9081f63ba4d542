using System.Text.Json;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.Json;

namespace NodeDiffusion.Interop.Import;

/// <summary>
/// Reads the ComfyUI editor's workflow (schema 0.4 and 1) into <see cref="ComfyNode"/>s, doing what the frontend's
/// graphToPrompt does with frontend-only nodes: primitives push their value into the widgets they feed, links whose ends
/// no longer exist are dropped. Reroute nodes are kept as nodes (our Reroute is virtual too), or resolved to their source
/// when the target has no Reroute type. Notes are kept aside so export can restore them.
/// </summary>
internal sealed class UiWorkflowReader
{
    public const string RerouteType = "Reroute";
    public const string PrimitiveType = "PrimitiveNode";
    public static readonly string[] NoteTypes = ["Note", "MarkdownNote"];

    private readonly List<InteropIssue> _issues;
    private readonly int _maxHops;
    private readonly bool _keepReroutes;
    private readonly Dictionary<string, JsonElement> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UiLink> _links = new(StringComparer.Ordinal);
    private bool _widgetEntriesAreConversions;

    private UiWorkflowReader(List<InteropIssue> issues, int maxHops, bool keepReroutes)
    {
        _issues = issues;
        _maxHops = maxHops;
        _keepReroutes = keepReroutes;
    }

    private sealed record UiLink(string Origin, int OriginSlot, string Target, int TargetSlot);

    public sealed record Result(List<ComfyNode> Nodes, List<JsonElement> Notes);

    public static Result Read(JsonElement root, List<InteropIssue> issues, int maxHops, bool keepReroutes = false) =>
        new UiWorkflowReader(issues, maxHops, keepReroutes).Read(root);

    private Result Read(JsonElement root)
    {
        _widgetEntriesAreConversions = LegacyWidgetInputs.AreConversions(root);
        foreach (var element in JsonRead.Property(root, "nodes").EnumerateArray())
        {
            if (_nodes.Count >= WorkflowLimits.MaxNodes)
            {
                _issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.TooLarge,
                    $"The workflow has more than {WorkflowLimits.MaxNodes:N0} nodes; the rest were not imported."));
                break;
            }
            if (JsonRead.Id(JsonRead.Property(element, "id")) is { } id && JsonRead.String(element, "type") is not null)
            {
                if (!_nodes.TryAdd(id, element))
                {
                    _issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.NodeDropped, "A second node with this id was left out.", id));
                }
            }
            else
            {
                _issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.NodeDropped, "A node without an id or a type was left out."));
            }
        }
        ReadLinks(JsonRead.Property(root, "links"));
        if (JsonRead.Property(JsonRead.Property(root, "definitions"), "subgraphs") is { ValueKind: JsonValueKind.Array } subgraphs && subgraphs.GetArrayLength() > 0)
        {
            _issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.UnsupportedFeature,
                $"The workflow defines {subgraphs.GetArrayLength()} subgraph(s); subgraph nodes are imported as missing node types."));
        }

        var nodes = new List<ComfyNode>();
        var notes = new List<JsonElement>();
        foreach (var (id, element) in _nodes)
        {
            var type = JsonRead.String(element, "type")!;
            if (NoteTypes.Contains(type))
            {
                notes.Add(element.Clone());
            }
            else if (type == RerouteType && _keepReroutes)
            {
                nodes.Add(ReadReroute(id, element));
            }
            else if (type is not (RerouteType or PrimitiveType))
            {
                nodes.Add(ReadNode(id, type, element));
            }
        }
        return new Result(nodes, notes);
    }

    private void ReadLinks(JsonElement links)
    {
        if (links.ValueKind != JsonValueKind.Array)
        {
            return;
        }
        foreach (var link in links.EnumerateArray())
        {
            // Schema 0.4: [id, origin, origin_slot, target, target_slot, type]; schema 1: {id, origin_id, origin_slot, target_id, target_slot, type}.
            var (id, origin, originSlot, target, targetSlot) = link.ValueKind == JsonValueKind.Array && link.GetArrayLength() >= 5
                ? (JsonRead.Id(link[0]), JsonRead.Id(link[1]), JsonRead.Int(link[2]), JsonRead.Id(link[3]), JsonRead.Int(link[4]))
                : (JsonRead.Id(JsonRead.Property(link, "id")), JsonRead.Id(JsonRead.Property(link, "origin_id")), JsonRead.Int(JsonRead.Property(link, "origin_slot")),
                    JsonRead.Id(JsonRead.Property(link, "target_id")), JsonRead.Int(JsonRead.Property(link, "target_slot")));
            if (id is not null && origin is not null && target is not null && originSlot is >= 0 && targetSlot is >= 0)
            {
                _links[id] = new UiLink(origin, originSlot.Value, target, targetSlot.Value);
            }
        }
    }

    private ComfyNode ReadNode(string id, string type, JsonElement element)
    {
        var node = new ComfyNode { Id = id, ClassType = type, FromUi = true, Mode = ReadMode(id, type, element), Layout = ReadLayout(element) };
        if (JsonRead.Property(element, "widgets_values") is { ValueKind: JsonValueKind.Array or JsonValueKind.Object } widgets)
        {
            node.RawWidgets = widgets.Clone();
        }
        if (JsonRead.Property(element, "inputs") is { ValueKind: JsonValueKind.Array } inputs)
        {
            foreach (var input in inputs.EnumerateArray())
            {
                ReadInput(node, input);
            }
        }
        if (JsonRead.Property(element, "properties") is { ValueKind: JsonValueKind.Object } properties)
        {
            node.Extra[InteropKeys.Properties] = properties.Clone();
        }
        return node;
    }

    /// <summary>A reroute's one input is read by slot: ComfyUI names it "" (older files not at all).</summary>
    private ComfyNode ReadReroute(string id, JsonElement element)
    {
        var node = new ComfyNode { Id = id, ClassType = RerouteType, FromUi = true, Mode = ReadMode(id, RerouteType, element), Layout = ReadLayout(element) };
        if (JsonRead.Property(element, "inputs") is { ValueKind: JsonValueKind.Array } inputs && inputs.GetArrayLength() > 0)
        {
            ReadInput(node, inputs[0], "");
        }
        if (JsonRead.Property(element, "properties") is { ValueKind: JsonValueKind.Object } properties)
        {
            node.Extra[InteropKeys.Properties] = properties.Clone();
        }
        return node;
    }

    private void ReadInput(ComfyNode node, JsonElement input, string? slotName = null)
    {
        var name = slotName ?? JsonRead.String(JsonRead.Property(input, "widget"), "name") ?? JsonRead.String(input, "name");
        var linkId = JsonRead.Id(JsonRead.Property(input, "link"));
        if (name is null || linkId is null)
        {
            if (name is not null && _widgetEntriesAreConversions && JsonRead.Property(input, "widget").ValueKind == JsonValueKind.Object)
            {
                node.ConvertedWidgets.Add(name);
            }
            return;
        }
        if (!_links.TryGetValue(linkId, out var link))
        {
            Drop(node, name, $"link {linkId} is not in the workflow's link list");
            return;
        }
        var origin = link.Origin;
        var slot = link.OriginSlot;
        for (var hops = 0; ; hops++)
        {
            if (!_nodes.TryGetValue(origin, out var source))
            {
                Drop(node, name, $"its source node {origin} was removed");
                return;
            }
            var sourceType = JsonRead.String(source, "type");
            if (sourceType == PrimitiveType)
            {
                PushPrimitive(node, name, origin, source);
                return;
            }
            if (sourceType != RerouteType || _keepReroutes)
            {
                node.Links[name] = new LinkRef(origin, slot);
                return;
            }
            if (hops >= _maxHops || RerouteSource(source) is not { } upstream)
            {
                Drop(node, name, hops >= _maxHops ? "it passes through too many reroutes" : $"reroute {origin} has no input");
                return;
            }
            (origin, slot) = upstream;
        }
    }

    private (string Origin, int Slot)? RerouteSource(JsonElement reroute)
    {
        var inputs = JsonRead.Property(reroute, "inputs");
        if (inputs.ValueKind != JsonValueKind.Array || inputs.GetArrayLength() == 0
            || JsonRead.Id(JsonRead.Property(inputs[0], "link")) is not { } linkId || !_links.TryGetValue(linkId, out var link))
        {
            return null;
        }
        return (link.Origin, link.OriginSlot);
    }

    private void PushPrimitive(ComfyNode node, string name, string primitiveId, JsonElement primitive)
    {
        var values = JsonRead.Property(primitive, "widgets_values");
        if (values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
        {
            node.Values[name] = values[0].Clone();
        }
        else
        {
            _issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.LinkDropped,
                $"Primitive node {primitiveId} has no value to give; the widget keeps its own.", node.Id, node.ClassType, name));
        }
    }

    private void Drop(ComfyNode node, string input, string why) =>
        _issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.LinkDropped, $"The link into this input was dropped: {why}.", node.Id, node.ClassType, input));

    private NodeMode ReadMode(string id, string type, JsonElement element)
    {
        switch (JsonRead.Int(JsonRead.Property(element, "mode")) ?? 0)
        {
            case 0:
                return NodeMode.Normal;
            case 2:
                return NodeMode.Muted;
            case 4:
                return NodeMode.Bypassed;
            case var other:
                _issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.UnsupportedMode,
                    $"Litegraph mode {other} (on event / on trigger) has no equivalent; the node runs normally.", id, type));
                return NodeMode.Normal;
        }
    }

    private static NodeLayout ReadLayout(JsonElement element)
    {
        var flags = JsonRead.Property(element, "flags");
        return new NodeLayout(
            JsonRead.Numbers(JsonRead.Property(element, "pos"), 2),
            JsonRead.Numbers(JsonRead.Property(element, "size"), 2),
            JsonRead.String(element, "title"),
            JsonRead.String(element, "color"),
            JsonRead.String(element, "bgcolor"),
            JsonRead.Property(flags, "collapsed").ValueKind == JsonValueKind.True);
    }
}
