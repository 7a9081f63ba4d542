using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Server.Editor;

/// <summary>
/// The editor's view of reroutes: a reroute's sockets are "*", but what it carries is the type of the output that
/// feeds it (through further reroutes), and links are checked against that, as the validator will.
/// </summary>
public static class RerouteTypes
{
    /// <summary>Longer chains than this are treated as carrying nothing, so a loop cannot hang the editor.</summary>
    private const int MaxHops = 256;

    public static bool IsReroute(GraphNodeModel node) => node.Known && Reroute.Is(node.TypeId);

    /// <summary>The type a socket really carries: an output of a reroute gives what reaches it ("*" while unfed).</summary>
    public static string TypeOf(TypedPortModel port)
    {
        var current = port;
        for (var hops = 0; !current.IsInput && IsReroute(current.Node); hops++)
        {
            if (hops == MaxHops || SourceOf(current.Node.InputPorts[0]) is not { } upstream)
            {
                return PortTypes.Any;
            }
            current = upstream;
        }
        return current.DataType;
    }

    /// <summary>The output socket linked into <paramref name="input"/>, if any.</summary>
    public static TypedPortModel? SourceOf(TypedPortModel input) =>
        input.Links.Select(l => l.Source.Model == input ? l.Target.Model : l.Source.Model)
            .OfType<TypedPortModel>().FirstOrDefault(p => !p.IsInput);

    /// <summary>The real inputs that <paramref name="reroute"/> leads to, through further reroutes.</summary>
    public static List<TypedPortModel> ConsumersOf(GraphNodeModel reroute)
    {
        var consumers = new List<TypedPortModel>();
        var seen = new HashSet<GraphNodeModel>();
        var stack = new Stack<GraphNodeModel>([reroute]);
        while (stack.TryPop(out var node))
        {
            if (!seen.Add(node))
            {
                continue;
            }
            var output = node.OutputPorts[0];
            foreach (var other in output.Links.Select(l => l.Source.Model == output ? l.Target.Model : l.Source.Model).OfType<TypedPortModel>())
            {
                if (!other.IsInput)
                {
                    continue;
                }
                if (IsReroute(other.Node))
                {
                    stack.Push(other.Node);
                }
                else
                {
                    consumers.Add(other);
                }
            }
        }
        return consumers;
    }

    /// <summary>Why <paramref name="output"/> may not feed <paramref name="input"/> once reroutes are seen through, or null.</summary>
    public static string? WhyNot(TypedPortModel output, TypedPortModel input)
    {
        var type = TypeOf(output);
        var giver = IsReroute(output.Node) ? $"This reroute (carrying {type})" : output.Node.Title;
        if (!IsReroute(input.Node))
        {
            return PortTypes.AreCompatible(type, input.DataType)
                ? null
                : $"{giver} gives {type}, but {input.Node.Title}'s input \"{input.Name}\" needs {input.DataType}.";
        }
        if (Upstream(output).Contains(input.Node))
        {
            return "A reroute cannot feed itself through a loop.";
        }
        var refused = ConsumersOf(input.Node).FirstOrDefault(c => !PortTypes.AreCompatible(type, c.DataType));
        return refused is null
            ? null
            : $"{giver} gives {type}, but the reroute leads to {refused.Node.Title}'s input \"{refused.Name}\", which needs {refused.DataType}.";
    }

    private static HashSet<GraphNodeModel> Upstream(TypedPortModel output)
    {
        var nodes = new HashSet<GraphNodeModel>();
        for (var current = output; IsReroute(current.Node) && nodes.Add(current.Node) && SourceOf(current.Node.InputPorts[0]) is { } upstream;)
        {
            current = upstream;
        }
        return nodes;
    }
}
