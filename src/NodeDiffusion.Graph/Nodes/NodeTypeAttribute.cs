namespace NodeDiffusion.Graph.Nodes;

/// <summary>Declares a node type: its stable id (equal to the ComfyUI class name where a twin exists) and how it is shown.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class NodeTypeAttribute(string typeId) : Attribute
{
    public string Id { get; } = typeId;
    public string Category { get; init; } = "utils";
    public string? DisplayName { get; init; }
    public string Description { get; init; } = "";
    /// <summary>Bumped when a node's behaviour changes, so cached results of the old behaviour are not reused.</summary>
    public int Version { get; init; } = 1;
    /// <summary>An output node is a sink the planner starts from (SaveImage, PreviewImage).</summary>
    public bool IsOutput { get; init; }
    /// <summary>A node that must run every time (its result depends on something outside its inputs).</summary>
    public bool NotIdempotent { get; init; }
    /// <summary>Other class names this node answers to, e.g. ComfyUI's "CheckpointLoaderSimple".</summary>
    public string[] Aliases { get; init; } = [];
}
