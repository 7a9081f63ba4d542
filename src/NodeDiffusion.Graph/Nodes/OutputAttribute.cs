namespace NodeDiffusion.Graph.Nodes;

/// <summary>Names an output; without it the output is named after its port type, as ComfyUI does.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class OutputAttribute : Attribute
{
    public string? Name { get; init; }
    public string? Tooltip { get; init; }
    public string? Type { get; init; }
}
