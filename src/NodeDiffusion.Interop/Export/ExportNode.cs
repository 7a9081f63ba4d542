using System.Text.Json;
using NodeDiffusion.Graph.Schema;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.Import;
using NodeDiffusion.Interop.Mapping;

namespace NodeDiffusion.Interop.Export;

/// <summary>One of our nodes as ComfyUI will see it: its class, the class's mapping, and our schema when the type is known.</summary>
internal sealed record ExportNode(string Id, WorkflowNode Node, string ComfyClass, ClassMapping? Mapping, NodeSchema? Schema)
{
    public static ExportNode Of(string id, WorkflowNode node, ComfyExportOptions options)
    {
        var schema = options.Schemas.Find(node.Type);
        var comfyClass = ClassFor(node, schema, options);
        return new ExportNode(id, node, comfyClass, options.ClassMap.FindByClass(comfyClass), schema);
    }

    /// <summary>
    /// The class the node was imported from when it maps back to this type, else the table's export name, else the type's
    /// first alias (aliases are the ComfyUI names a node answers to), else the type id.
    /// </summary>
    private static string ClassFor(WorkflowNode node, NodeSchema? schema, ComfyExportOptions options)
    {
        if (node.Extra.TryGetValue(InteropKeys.ClassType, out var original) && original.ValueKind == JsonValueKind.String
            && options.ClassMap.ToTypeId(original.GetString()!) == node.Type)
        {
            return original.GetString()!;
        }
        return options.ClassMap.FindExport(node.Type)?.ComfyClass ?? schema?.Aliases.FirstOrDefault() ?? node.Type;
    }

    public string ComfyInput(string ourInput) => Mapping?.ToComfyInput(ourInput) ?? ourInput;

    public string? OutputType(int index) => Schema is { } schema && index < schema.Outputs.Count ? schema.Outputs[index].Type : null;
}
