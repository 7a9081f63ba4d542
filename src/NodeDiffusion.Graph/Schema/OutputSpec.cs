namespace NodeDiffusion.Graph.Schema;

/// <summary>One output of a node; its position in <see cref="NodeSchema.Outputs"/> is its output index.</summary>
public sealed record OutputSpec(string Name, string Type, Type ClrType, string? Tooltip = null);
