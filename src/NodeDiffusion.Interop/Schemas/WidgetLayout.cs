using NodeDiffusion.Graph.Schema;

namespace NodeDiffusion.Interop.Schemas;

/// <summary>
/// The positional order of a ComfyUI node's <c>widgets_values</c>: the widget inputs, required before optional
/// (the frontend builds widgets from object_info in that order), each followed by its frontend-only companions.
/// </summary>
public static class WidgetLayout
{
    public static IReadOnlyList<WidgetSlot> Of(NodeSchema schema)
    {
        var slots = new List<WidgetSlot>();
        foreach (var input in schema.Inputs.Where(i => i.IsWidget).OrderBy(i => i.Optional))
        {
            slots.Add(new WidgetSlot(input.Name, WidgetSlotKind.Value));
            if (input.ControlAfterGenerate)
            {
                slots.Add(new WidgetSlot(input.Name, WidgetSlotKind.ControlAfterGenerate));
            }
            if (input.ImageUpload)
            {
                slots.Add(new WidgetSlot(input.Name, WidgetSlotKind.Upload));
            }
        }
        return slots;
    }

    /// <summary>A layout given as plain widget names (a legacy class in the mapping table).</summary>
    public static IReadOnlyList<WidgetSlot> Of(IEnumerable<string> widgetNames) =>
        [.. widgetNames.Select(n => new WidgetSlot(n, WidgetSlotKind.Value))];
}
