using NodeDiffusion.Graph.Schema;
using NodeDiffusion.Graph.Workflows;

namespace NodeDiffusion.Interop.Import;

/// <summary>
/// ComfyUI's old ControlNetApply takes one conditioning and also applies the control to the negative pass.
/// The rewired nodes are written back as ControlNetApplyAdvanced.
/// ApplyControlNet takes both, so a chain of old nodes feeding a sampler's positive is rewired to carry the sampler's
/// negative through the chain as well, which gives the same result. Where no such sampler exists the negative input is fed
/// the same conditioning as the positive (the control then acts on the positive side only) and a warning says so.
/// </summary>
internal static class LegacyControlNetRewiring
{
    public const string LegacyClass = "ControlNetApply";
    private const string Positive = "positive";
    private const string Negative = "negative";

    /// <summary>Whether the target type has ControlNetApplyAdvanced's shape: positive and negative in, positive and negative out.</summary>
    public static bool Fits(NodeSchema apply) =>
        apply.FindInput(Positive) is { IsWidget: false } && apply.FindInput(Negative) is { IsWidget: false } && apply.Outputs.Count >= 2;

    public static void Apply(Workflow workflow, IReadOnlyDictionary<string, string> classes, string targetType, List<InteropIssue> issues)
    {
        var legacy = workflow.Nodes.Where(n => n.Value.Type == targetType && classes.GetValueOrDefault(n.Key) == LegacyClass)
            .Select(n => n.Key).ToHashSet(StringComparer.Ordinal);
        if (legacy.Count == 0)
        {
            return;
        }
        foreach (var (consumerId, consumer) in workflow.Nodes.Where(n => !legacy.Contains(n.Key)).ToList())
        {
            if (!consumer.Links.TryGetValue(Positive, out var positive) || !legacy.Contains(positive.Node) || positive.Output != 0
                || !consumer.Links.TryGetValue(Negative, out var negative))
            {
                continue;
            }
            var chain = Chain(workflow, legacy, positive.Node);
            if (chain.Any(id => workflow.Nodes[id].Links.ContainsKey(Negative)))
            {
                continue;
            }
            var previous = negative;
            foreach (var id in chain)
            {
                workflow.Nodes[id].Links[Negative] = previous;
                workflow.Nodes[id].Extra.Remove(InteropKeys.ClassType);
                previous = new LinkRef(id, 1);
            }
            consumer.Links[Negative] = previous;
            issues.Add(new InteropIssue(InteropSeverity.Info, InteropCodes.LegacyRewired,
                $"The old ControlNetApply node{(chain.Count == 1 ? "" : "s")} {string.Join(", ", chain)} now also carr{(chain.Count == 1 ? "ies" : "y")} this node's negative conditioning, as ComfyUI applied the control to both.",
                consumerId, classes.GetValueOrDefault(consumerId), Negative));
        }
        foreach (var id in legacy.Where(id => !workflow.Nodes[id].Links.ContainsKey(Negative)))
        {
            var node = workflow.Nodes[id];
            node.Extra.Remove(InteropKeys.ClassType);
            if (node.Links.TryGetValue(Positive, out var same))
            {
                node.Links[Negative] = same;
            }
            issues.Add(new InteropIssue(InteropSeverity.Warning, InteropCodes.SemanticChange,
                "This old ControlNetApply does not feed a sampler's positive input, so it became ApplyControlNet on the positive side only; ComfyUI also applied it to the negative pass.",
                id, LegacyClass));
        }
    }

    /// <summary>The chain of old apply nodes ending at <paramref name="last"/>, first node first.</summary>
    private static List<string> Chain(Workflow workflow, HashSet<string> legacy, string last)
    {
        var chain = new List<string> { last };
        var current = last;
        while (workflow.Nodes[current].Links.TryGetValue(Positive, out var upstream) && legacy.Contains(upstream.Node) && upstream.Output == 0
               && !chain.Contains(upstream.Node))
        {
            chain.Add(upstream.Node);
            current = upstream.Node;
        }
        chain.Reverse();
        return chain;
    }
}
