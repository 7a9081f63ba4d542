using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Engine.Events;

/// <summary>A node's UI output (ComfyUI's "ui" dict): lists of items by key, e.g. "images".</summary>
public sealed record UiOutput(IReadOnlyDictionary<string, IReadOnlyList<UiItem>> Items)
{
    public static UiOutput Empty { get; } = new(new Dictionary<string, IReadOnlyList<UiItem>>());

    public bool IsEmpty => Items.Count == 0;
}
