using NodeDiffusion.Graph.Schema;
using NodeDiffusion.Interop.Mapping;

namespace NodeDiffusion.Interop.Schemas;

/// <summary>
/// The <c>widgets_values</c> layout of a ComfyUI class, named by ComfyUI's input names: the mapping table's explicit
/// order for a legacy class, else ComfyUI's own object_info when given, else our twin's schema with inputs renamed back.
/// </summary>
internal static class ComfyWidgetOrder
{
    public static IReadOnlyList<WidgetSlot>? For(string comfyClass, ClassMapping? mapping, NodeSchema? ourSchema, ISchemaSource? comfySchemas)
    {
        if (mapping?.ComfyWidgets is { } names)
        {
            return WidgetLayout.Of(names);
        }
        if (comfySchemas?.Find(comfyClass) is { } comfySchema)
        {
            return WidgetLayout.Of(comfySchema);
        }
        if (ourSchema is null)
        {
            return null;
        }
        var ours = WidgetLayout.Of(ourSchema);
        return mapping?.InputRenames is null ? ours : [.. ours.Select(s => s with { InputName = mapping.ToComfyInput(s.InputName) })];
    }
}
