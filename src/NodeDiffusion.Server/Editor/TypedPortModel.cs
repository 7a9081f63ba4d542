using Blazor.Diagrams.Core.Models;
using Blazor.Diagrams.Core.Models.Base;
using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Server.Editor;

/// <summary>A node's input or output socket, with the port type that decides which links it accepts.</summary>
public sealed class TypedPortModel : PortModel
{
    public TypedPortModel(GraphNodeModel parent, string name, string dataType, bool isInput, int index)
        : base(IdOf(parent.Id, name, isInput, index), parent, isInput ? PortAlignment.Left : PortAlignment.Right)
    {
        Name = name;
        DataType = dataType;
        IsInput = isInput;
        Index = index;
    }

    public string Name { get; }

    public string DataType { get; }

    public bool IsInput { get; }

    /// <summary>The output index (outputs) or input position (inputs).</summary>
    public int Index { get; }

    public GraphNodeModel Node => (GraphNodeModel)Parent;

    public static string IdOf(string nodeId, string name, bool isInput, int index) => isInput ? $"{nodeId}:in:{name}" : $"{nodeId}:out:{index}";

    /// <summary>Why a link from <paramref name="source"/> to <paramref name="target"/> is not allowed, or null when it is.</summary>
    public static string? WhyNot(TypedPortModel source, TypedPortModel target)
    {
        if (source.IsInput == target.IsInput)
        {
            return source.IsInput ? "Links go from an output to an input, not between two inputs." : "Links go from an output to an input, not between two outputs.";
        }
        var (output, input) = source.IsInput ? (target, source) : (source, target);
        if (output.Parent == input.Parent)
        {
            return "A node cannot feed itself.";
        }
        return RerouteTypes.WhyNot(output, input);
    }

    // Called on the dragged link's source port when it is dropped on a port.
    public override bool CanAttachTo(ILinkable other)
    {
        if (!base.CanAttachTo(other) || other is not TypedPortModel target)
        {
            return false;
        }
        var reason = WhyNot(this, target);
        if (reason is not null)
        {
            Node.Context.LinkRefused(reason);
        }
        return reason is null;
    }
}
