using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Registry;
using NodeDiffusion.Graph.Workflows;

namespace NodeDiffusion.Graph.Validation;

/// <summary>A link after reroutes, muted and bypassed nodes are taken out: where the value really comes from, and the reroutes it passed.</summary>
internal readonly record struct ResolvedLink(LinkRef Target, IReadOnlyList<string> Reroutes)
{
    /// <summary>" (through reroute 7)" for messages, or empty when the link is direct.</summary>
    public string Through => Reroutes.Count switch
    {
        0 => "",
        1 => $" (through reroute {Reroutes[0]})",
        _ => $" (through reroutes {string.Join(" → ", Reroutes)})",
    };
}

/// <summary>Why a link gives nothing after resolution; <see cref="Code"/> is set when that is an error even for an optional input.</summary>
internal sealed record LinkBreak(string Reason, string? Code = null);

/// <summary>Every node's resolved links, and the links that resolved to nothing with the reason.</summary>
internal sealed record ModeResolution(
    Dictionary<string, Dictionary<string, ResolvedLink>> Links,
    Dictionary<string, Dictionary<string, LinkBreak>> Breaks);

/// <summary>
/// Applies node modes and virtual nodes: a muted node is removed; a link from a bypassed node is redirected to that node's
/// own input of the same type (preferring the same slot index), and a link from a Reroute to the reroute's source, as
/// ComfyUI's frontend does. A reroute passes its link through in any mode but muted.
/// </summary>
internal static class ModeResolver
{
    public static ModeResolution Resolve(Workflow workflow, Dictionary<string, NodeDefinition> definitions)
    {
        var result = new Dictionary<string, Dictionary<string, ResolvedLink>>(StringComparer.Ordinal);
        var breaks = new Dictionary<string, Dictionary<string, LinkBreak>>(StringComparer.Ordinal);
        foreach (var (id, node) in workflow.Nodes)
        {
            if (node.Mode != NodeMode.Normal || Reroute.Is(node.Type))
            {
                continue;
            }
            var links = new Dictionary<string, ResolvedLink>(StringComparer.Ordinal);
            foreach (var (input, link) in node.Links)
            {
                var (resolved, problem) = Follow(workflow, definitions, link);
                if (resolved is { } target)
                {
                    links[input] = target;
                }
                else if (problem is not null)
                {
                    if (!breaks.TryGetValue(id, out var nodeBreaks))
                    {
                        breaks[id] = nodeBreaks = new Dictionary<string, LinkBreak>(StringComparer.Ordinal);
                    }
                    nodeBreaks[input] = problem;
                }
            }
            result[id] = links;
        }
        return new ModeResolution(result, breaks);
    }

    private static (ResolvedLink? Link, LinkBreak? Problem) Follow(Workflow workflow, Dictionary<string, NodeDefinition> definitions, LinkRef link)
    {
        var visited = new List<string>();
        var reroutes = new List<string>();
        while (workflow.Nodes.TryGetValue(link.Node, out var source) && (source.Mode != NodeMode.Normal || Reroute.Is(source.Type)))
        {
            if (visited.Contains(link.Node, StringComparer.Ordinal))
            {
                var loop = visited.Skip(visited.IndexOf(link.Node)).Append(link.Node);
                return (null, new LinkBreak($"the link loops through {string.Join(" → ", loop)}", ValidationCodes.Cycle));
            }
            visited.Add(link.Node);
            if (source.Mode == NodeMode.Muted)
            {
                return (null, new LinkBreak($"{(Reroute.Is(source.Type) ? "reroute" : "node")} {link.Node} is muted"));
            }
            if (Reroute.Is(source.Type))
            {
                reroutes.Add(link.Node);
                if (!source.Links.TryGetValue(Reroute.InputName, out var upstream))
                {
                    return (null, new LinkBreak($"reroute {link.Node} has no input", ValidationCodes.MissingRequiredInput));
                }
                link = upstream;
                continue;
            }
            if (!definitions.TryGetValue(link.Node, out var definition))
            {
                return (null, new LinkBreak($"bypassed node {link.Node} has an unknown type"));
            }
            var outputs = definition.Schema.Outputs;
            if (link.Output >= outputs.Count)
            {
                return (null, new LinkBreak($"bypassed node {link.Node} ({source.Type}) has no output {link.Output}"));
            }
            var wanted = outputs[link.Output].Type;
            var inputs = definition.Schema.Inputs;
            var candidates = inputs
                .Select((input, index) => (input, index))
                .Where(c => c.input.Type == wanted && source.Links.ContainsKey(c.input.Name))
                .OrderBy(c => c.index == link.Output ? 0 : 1)
                .ThenBy(c => c.index)
                .ToList();
            if (candidates.Count == 0)
            {
                return (null, new LinkBreak($"node {link.Node} is bypassed without a linked {wanted} input to pass through"));
            }
            link = source.Links[candidates[0].input.Name];
        }
        return (new ResolvedLink(link, reroutes), null);
    }
}
