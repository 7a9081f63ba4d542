using System.Text.Json;

namespace NodeDiffusion.Graph.Workflows;

/// <summary>
/// Widgets turned into inputs (ComfyUI's classic "Convert X to input"): the node shows a socket instead of the editor,
/// and until something is linked to it the input is missing, as in ComfyUI, which then leaves the value out of the prompt.
/// Kept in the node's <see cref="WorkflowNode.Extra"/> as a list of input names.
/// </summary>
public static class ConvertedWidgets
{
    public const string ExtraKey = "converted_widgets";

    public static IReadOnlyList<string> Of(WorkflowNode node) =>
        node.Extra.TryGetValue(ExtraKey, out var names) && names.ValueKind == JsonValueKind.Array
            ? names.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!).Distinct(StringComparer.Ordinal).ToList()
            : [];

    public static bool Contains(WorkflowNode node, string inputName) => Of(node).Contains(inputName, StringComparer.Ordinal);

    /// <summary>Stores <paramref name="names"/>, or removes the entry when there are none.</summary>
    public static void Set(WorkflowNode node, IEnumerable<string> names)
    {
        var list = names.Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            node.Extra.Remove(ExtraKey);
        }
        else
        {
            node.Extra[ExtraKey] = JsonSerializer.SerializeToElement(list);
        }
    }
}
