using System.Text.Json;
using NodeDiffusion.Graph.Workflows;

namespace NodeDiffusion.Interop.Import;

/// <summary>
/// A ComfyUI node after the format-specific reading (API or UI) and before mapping onto our types:
/// values and links by ComfyUI input name, links already resolved through reroutes and primitives.
/// </summary>
internal sealed class ComfyNode
{
    public required string Id { get; init; }
    public required string ClassType { get; init; }
    /// <summary>From the editor's format, where a widget the file does not mention shows its default.</summary>
    public bool FromUi { get; init; }
    public OrderedDictionary<string, JsonElement> Values { get; } = new(StringComparer.Ordinal);
    public OrderedDictionary<string, LinkRef> Links { get; } = new(StringComparer.Ordinal);
    public NodeMode Mode { get; set; } = NodeMode.Normal;
    public NodeLayout? Layout { get; set; }
    /// <summary>The UI's positional values when no layout was known to name them.</summary>
    public JsonElement? RawWidgets { get; set; }
    /// <summary>The control_after_generate choice of a seed, kept so export can write it back.</summary>
    public JsonElement? ControlAfterGenerate { get; set; }
    public OrderedDictionary<string, JsonElement> Extra { get; } = new(StringComparer.Ordinal);
    /// <summary>Widgets the file shows as inputs with nothing linked (the classic frontend's "Convert to input"), by ComfyUI input name.</summary>
    public List<string> ConvertedWidgets { get; } = [];
}
