using NodeDiffusion.Graph.Validation;

namespace NodeDiffusion.Engine.Planning;

/// <summary>One node of a plan: what it is, its cache key, and whether a cached result already covers it.</summary>
public sealed record PlannedNode(ResolvedNode Node, string Signature, bool IsCached, IReadOnlyList<string> Dependencies);

/// <summary>
/// The nodes a run touches, in a deterministic topological order: cached nodes whose results are used, and the
/// nodes that must execute. Ancestors whose only consumers are cached are left out entirely.
/// </summary>
public sealed record ExecutionPlan(IReadOnlyList<PlannedNode> Nodes)
{
    public IEnumerable<PlannedNode> ToExecute => Nodes.Where(n => !n.IsCached);

    public IEnumerable<PlannedNode> FromCache => Nodes.Where(n => n.IsCached);
}
