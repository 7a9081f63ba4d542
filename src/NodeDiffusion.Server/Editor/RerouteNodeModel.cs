using Blazor.Diagrams.Core.Geometry;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Schema;

namespace NodeDiffusion.Server.Editor;

/// <summary>A Reroute on the canvas: a node of its own model type, so that the diagram draws it as a small pill.</summary>
public sealed class RerouteNodeModel(string id, NodeSchema schema, bool known, IEditorContext context, Point position)
    : GraphNodeModel(id, schema, known, context, position)
{
    /// <summary>The type last drawn, so that only a reroute whose type changed is redrawn.</summary>
    public string? DrawnType { get; set; }

    /// <summary>The model for a node of <paramref name="schema"/>: a reroute's own, else the ordinary card.</summary>
    public static GraphNodeModel Create(string id, NodeSchema schema, bool known, IEditorContext context, Point position) =>
        known && Reroute.Is(schema.TypeId)
            ? new RerouteNodeModel(id, schema, known, context, position)
            : new GraphNodeModel(id, schema, known, context, position);
}
