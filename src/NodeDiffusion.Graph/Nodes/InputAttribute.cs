namespace NodeDiffusion.Graph.Nodes;

/// <summary>Common settings of an input. Link inputs may use it directly; widgets use a subclass.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public class InputAttribute : Attribute
{
    /// <summary>Overrides the snake_case name derived from the parameter name.</summary>
    public string? Name { get; init; }
    public string? Tooltip { get; init; }
    public bool Optional { get; init; }
    /// <summary>Overrides the port type derived from the CLR type (e.g. "*" for any).</summary>
    public string? Type { get; init; }
}
