using NodeDiffusion.Graph.Registry;
using NodeDiffusion.Graph.Workflows;

namespace NodeDiffusion.Graph.Validation;

/// <summary>A link after muted and bypassed nodes are taken out: where the value really comes from.</summary>
internal readonly record struct ResolvedLink(LinkRef Target);

/// <summary>
/// Applies node modes: a muted node is removed; a link from a bypassed node is redirected to that node's own input of the
/// same type (preferring the same slot index), as ComfyUI's frontend does.
/// </summary>
internal static class ModeResolver
{
    public static Dictionary<string, Dictionary<string, ResolvedLink>> Resolve(Workflow workflow, Dictionary<string, NodeDefinition> definitions)
    {
        var result = new Dictionary<string, Dictionary<string, ResolvedLink>>(StringComparer.Ordinal);
        foreach (var (id, node) in workflow.Nodes)
        {
            if (node.Mode != NodeMode.Normal)
            {
                continue;
            }
            var links = new Dictionary<string, ResolvedLink>(StringComparer.Ordinal);
            foreach (var (input, link) in node.Links)
            {
                if (Follow(workflow, definitions, link) is { } target)
                {
                    links[input] = new ResolvedLink(target);
                }
            }
            result[id] = links;
        }
        return result;
    }

    private static LinkRef? Follow(Workflow workflow, Dictionary<string, NodeDefinition> definitions, LinkRef link)
    {
        var visited = new HashSet<string>(StringComparer.Ordinal);
        while (workflow.Nodes.TryGetValue(link.Node, out var source) && source.Mode != NodeMode.Normal)
        {
            if (source.Mode == NodeMode.Muted || !visited.Add(link.Node) || !definitions.TryGetValue(link.Node, out var definition))
            {
                return null;
            }
            var outputs = definition.Schema.Outputs;
            if (link.Output >= outputs.Count)
            {
                return null;
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
                return null;
            }
            link = source.Links[candidates[0].input.Name];
        }
        return link;
    }
}
