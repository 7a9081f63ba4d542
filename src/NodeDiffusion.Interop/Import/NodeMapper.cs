using System.Text.Json;
using NodeDiffusion.Graph.Schema;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.Json;
using NodeDiffusion.Interop.Mapping;
using NodeDiffusion.Interop.Schemas;

namespace NodeDiffusion.Interop.Import;

/// <summary>Turns one <see cref="ComfyNode"/> into our node: class → type id, ComfyUI input names → ours, positional widgets → named values.</summary>
internal sealed class NodeMapper(ComfyImportOptions options, List<InteropIssue> issues)
{
    public sealed record Mapped(WorkflowNode Node, NodeSchema? Schema);

    public Mapped Map(ComfyNode source)
    {
        var mapping = options.ClassMap.FindByClass(source.ClassType);
        var typeId = mapping?.TypeId ?? source.ClassType;
        var schema = options.Schemas.Find(typeId) ?? (mapping is null ? null : options.Schemas.Find(source.ClassType));
        var node = new WorkflowNode { Type = schema?.TypeId ?? typeId, Mode = source.Mode, Layout = source.Layout };
        if (source.ClassType != node.Type)
        {
            node.Extra[InteropKeys.ClassType] = JsonSerializer.SerializeToElement(source.ClassType);
        }
        if (mapping?.Note is { } note && schema is not null)
        {
            issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.SemanticChange, note, source.Id, source.ClassType));
        }
        var values = DecodeWidgets(source, mapping, schema);
        if (source.ControlAfterGenerate is { } control)
        {
            node.Extra[InteropKeys.ControlAfterGenerate] = control;
        }
        foreach (var (key, value) in source.Extra)
        {
            node.Extra[key] = value;
        }
        if (source.ConvertedWidgets.Count > 0)
        {
            ConvertedWidgets.Set(node, source.ConvertedWidgets.Select(n => mapping?.ToOurInput(n) ?? n)
                .Where(n => schema is null || schema.FindInput(n) is { IsWidget: true }));
        }
        if (schema is null)
        {
            foreach (var (name, value) in values)
            {
                var ours = mapping?.ToOurInput(name) ?? name;
                node.Inputs[ours] = RenameModel(ModelFolders.OfInputName(ours), ours, value, source);
            }
            foreach (var (name, link) in source.Links)
            {
                node.Links[mapping?.ToOurInput(name) ?? name] = link;
            }
            return new Mapped(node, null);
        }
        var unknown = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var unknownNames = new List<string>();
        foreach (var (name, value) in values)
        {
            var ours = mapping?.ToOurInput(name) ?? name;
            var input = schema.FindInput(ours);
            if (input is null)
            {
                if (!ComfyIgnoredInputs.Names.Contains(name))
                {
                    unknown[name] = value;
                    unknownNames.Add(name);
                }
                continue;
            }
            if (!input.IsWidget)
            {
                issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.ValueOnLinkInput,
                    $"'{ours}' takes a link, but the file gives it the value {Abbreviate(value)}; the value was kept aside.", source.Id, source.ClassType, name));
                unknown[name] = value;
                continue;
            }
            node.Inputs[ours] = RenameModel(ModelFolders.Of(input), ours, LegacyValues.Normalize(ours, value), source);
        }
        foreach (var (name, link) in source.Links)
        {
            var ours = mapping?.ToOurInput(name) ?? name;
            if (schema.FindInput(ours) is null)
            {
                issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.UnknownInput,
                    $"{node.Type} has no input '{ours}'; the link into it was dropped.", source.Id, source.ClassType, name));
                continue;
            }
            node.Links[ours] = link;
        }
        if (source.FromUi)
        {
            FillDefaults(source, node, schema);
        }
        if (unknownNames.Count > 0)
        {
            var names = unknownNames;
            issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.UnknownInput,
                $"{node.Type} has no input{(names.Count == 1 ? "" : "s")} {string.Join(", ", names.Select(n => $"'{n}'"))}; the value{(names.Count == 1 ? " was" : "s were")} kept aside.",
                source.Id, source.ClassType, names.Count == 1 ? names[0] : null));
        }
        if (unknown.Count > 0)
        {
            node.Extra[InteropKeys.UnknownInputs] = JsonSerializer.SerializeToElement(unknown);
        }
        return new Mapped(node, schema);
    }

    /// <summary>Named values of the node: the UI's positional widgets decoded through a layout, then the values read by name (which win).</summary>
    private OrderedDictionary<string, JsonElement> DecodeWidgets(ComfyNode source, ClassMapping? mapping, NodeSchema? schema)
    {
        var values = new OrderedDictionary<string, JsonElement>(StringComparer.Ordinal);
        if (source.RawWidgets is { } raw)
        {
            if (raw.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in raw.EnumerateObject())
                {
                    values[property.Name] = property.Value.Clone();
                }
            }
            else if (ComfyWidgetOrder.For(source.ClassType, mapping, schema, options.ComfySchemas) is { } layout)
            {
                DecodePositional(source, raw, layout, values);
            }
            else if (raw.GetArrayLength() > 0)
            {
                source.Extra[InteropKeys.WidgetsValues] = raw;
            }
        }
        foreach (var (name, value) in source.Values)
        {
            values[name] = value;
        }
        return values;
    }

    private void DecodePositional(ComfyNode source, JsonElement raw, IReadOnlyList<WidgetSlot> layout, OrderedDictionary<string, JsonElement> values)
    {
        var items = raw.EnumerateArray().ToList();
        var slots = layout;
        if (items.Count != layout.Count)
        {
            var valueOnly = layout.Where(s => s.Kind == WidgetSlotKind.Value).ToList();
            if (items.Count == valueOnly.Count)
            {
                slots = valueOnly;
            }
            else
            {
                issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.WidgetCountMismatch,
                    $"Expected {layout.Count} widget values ({string.Join(", ", layout.Select(Describe))}) but the file has {items.Count}; " +
                    "they were matched by position as far as they go.", source.Id, source.ClassType));
            }
        }
        for (var i = 0; i < Math.Min(items.Count, slots.Count); i++)
        {
            switch (slots[i].Kind)
            {
                case WidgetSlotKind.Value:
                    values[slots[i].InputName] = items[i].Clone();
                    break;
                case WidgetSlotKind.ControlAfterGenerate:
                    source.ControlAfterGenerate = items[i].Clone();
                    break;
                case WidgetSlotKind.Upload:
                    break;
            }
        }
    }

    /// <summary>The frontend creates every widget with its default and then applies the saved values it has.</summary>
    private void FillDefaults(ComfyNode source, WorkflowNode node, NodeSchema schema)
    {
        foreach (var input in schema.Inputs.Where(i => i.IsWidget && i.Default is not null && !node.Inputs.ContainsKey(i.Name) && !node.Links.ContainsKey(i.Name)))
        {
            node.Inputs[input.Name] = input.Default as JsonElement? ?? JsonSerializer.SerializeToElement(input.Default);
            issues.Add(new InteropIssue(InteropSeverity.Info, InteropCodes.DefaultFilled,
                $"The file has no value for '{input.Name}'; its default {node.Inputs[input.Name].GetRawText()} was used, as ComfyUI's editor does.",
                source.Id, source.ClassType, input.Name));
        }
    }

    private JsonElement RenameModel(string? folder, string inputName, JsonElement value, ComfyNode source)
    {
        if (options.ModelNames is not { } map || value.ValueKind != JsonValueKind.String || folder is null)
        {
            return value;
        }
        var name = value.GetString()!;
        if (map.Replace(folder, name) is not { } replacement || replacement == name)
        {
            return value;
        }
        issues.Add(new InteropIssue(InteropSeverity.Info, InteropCodes.ModelRenamed,
            $"The {folder} model '{name}' was replaced by '{replacement}'.", source.Id, source.ClassType, inputName));
        return JsonSerializer.SerializeToElement(replacement);
    }

    private static string Describe(WidgetSlot slot) => slot.Kind switch
    {
        WidgetSlotKind.ControlAfterGenerate => $"{slot.InputName}'s control_after_generate",
        WidgetSlotKind.Upload => $"{slot.InputName}'s upload",
        _ => slot.InputName,
    };

    private static string Abbreviate(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 40 ? text : text[..40] + "…";
    }
}
