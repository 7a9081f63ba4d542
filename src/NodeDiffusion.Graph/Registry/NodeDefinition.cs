using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Schema;

namespace NodeDiffusion.Graph.Registry;

/// <summary>A registered node type: its schema and the stateless instance that executes it.</summary>
public sealed record NodeDefinition(NodeSchema Schema, INode Node, Type NodeClrType);
