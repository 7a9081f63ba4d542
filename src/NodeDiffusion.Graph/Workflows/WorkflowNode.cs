using System.Text.Json;

namespace NodeDiffusion.Graph.Workflows;

/// <summary>
/// One node of a workflow. Widget values stay as JSON so they round-trip exactly (u64 seeds, 1.0 vs 1);
/// a link on an input name takes precedence over a widget value of the same name, which lets a widget become an input and back.
/// </summary>
public sealed class WorkflowNode
{
    public required string Type { get; set; }
    public OrderedDictionary<string, JsonElement> Inputs { get; } = new(StringComparer.Ordinal);
    public OrderedDictionary<string, LinkRef> Links { get; } = new(StringComparer.Ordinal);
    public NodeMode Mode { get; set; } = NodeMode.Normal;
    public NodeLayout? Layout { get; set; }
    public OrderedDictionary<string, JsonElement> Extra { get; } = new(StringComparer.Ordinal);
}

/// <summary>A link into an input: the source node and its output index.</summary>
public readonly record struct LinkRef(string Node, int Output);

/// <summary>Normal nodes run; muted nodes are removed; bypassed nodes pass a matching input through.</summary>
public enum NodeMode
{
    Normal,
    Muted,
    Bypassed,
}

/// <summary>Editor layout of a node; none of it affects execution or caching.</summary>
public sealed record NodeLayout(
    double[]? Position = null,
    double[]? Size = null,
    string? Title = null,
    string? Color = null,
    string? BackgroundColor = null,
    bool Collapsed = false);

/// <summary>A titled box around nodes in the editor.</summary>
public sealed record WorkflowGroup(string Title, double[] Bounding, string? Color = null, double? FontSize = null);

/// <summary>The editor's pan and zoom.</summary>
public sealed record Viewport(double X, double Y, double Zoom);

/// <summary>A model file the workflow needs, so a shared workflow can say what to fetch and check.</summary>
public sealed record ModelReference(string Name, string Folder, string? Sha256 = null, string? Url = null);
