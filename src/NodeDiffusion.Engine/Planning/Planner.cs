using NodeDiffusion.Engine.Caching;
using NodeDiffusion.Graph.Validation;

namespace NodeDiffusion.Engine.Planning;

/// <summary>Plans a run backwards from the output nodes, cutting at cache hits.</summary>
public sealed class Planner(OutputCache cache, IServiceProvider services)
{
    public ExecutionPlan Plan(ResolvedWorkflow workflow, string runNonce)
    {
        var order = TopologicalOrder(workflow);
        var signatures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in order)
        {
            var node = workflow.Nodes[id];
            var schema = node.Definition.Schema;
            string? fingerprint;
            string? nonce = schema.NotIdempotent ? runNonce : null;
            try
            {
                fingerprint = node.Definition.Node.Fingerprint(node.Values, services);
            }
            catch (Exception)
            {
                // The node will report the real problem when it runs; never reuse a result for it.
                fingerprint = null;
                nonce = runNonce;
            }
            signatures[id] = NodeSignature.Compute(node, fingerprint, signatures, nonce);
        }

        // Walk back from the outputs. A cached node satisfies its consumers, so its ancestors are needed only if
        // something uncached uses them; those still show in the plan as cached when their own result is in the cache.
        var needed = new HashSet<string>(StringComparer.Ordinal);
        var reachable = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<(string Id, bool Needed)>(workflow.OutputNodeIds.Select(id => (id, true)));
        while (stack.Count > 0)
        {
            var (id, isNeeded) = stack.Pop();
            var firstVisit = reachable.Add(id);
            var newlyNeeded = isNeeded && needed.Add(id);
            if (!firstVisit && !newlyNeeded)
            {
                continue;
            }
            var cached = cache.Contains(signatures[id]);
            foreach (var link in workflow.Nodes[id].Links.Values)
            {
                stack.Push((link.Node, isNeeded && !cached));
            }
        }

        var planned = order
            .Where(id => needed.Contains(id) || (reachable.Contains(id) && cache.Contains(signatures[id])))
            .Select(id => new PlannedNode(
                workflow.Nodes[id],
                signatures[id],
                cache.Contains(signatures[id]),
                workflow.Nodes[id].Links.Values.Select(l => l.Node).Distinct(StringComparer.Ordinal).ToList()))
            .ToList();
        return new ExecutionPlan(planned);
    }

    /// <summary>Kahn's algorithm; among ready nodes the smallest id (numeric ids by value) goes first, so order is stable.</summary>
    public static List<string> TopologicalOrder(ResolvedWorkflow workflow)
    {
        var remaining = workflow.Nodes.ToDictionary(n => n.Key, n => n.Value.Links.Values.Select(l => l.Node).Distinct().Count(d => workflow.Nodes.ContainsKey(d)), StringComparer.Ordinal);
        var consumers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (id, node) in workflow.Nodes)
        {
            foreach (var source in node.Links.Values.Select(l => l.Node).Distinct().Where(workflow.Nodes.ContainsKey))
            {
                if (!consumers.TryGetValue(source, out var list))
                {
                    consumers[source] = list = [];
                }
                list.Add(id);
            }
        }
        var ready = new PriorityQueue<string, string>(NodeIdComparer.Instance);
        foreach (var (id, count) in remaining)
        {
            if (count == 0)
            {
                ready.Enqueue(id, id);
            }
        }
        var order = new List<string>(workflow.Nodes.Count);
        while (ready.TryDequeue(out var id, out _))
        {
            order.Add(id);
            if (!consumers.TryGetValue(id, out var list))
            {
                continue;
            }
            foreach (var consumer in list)
            {
                if (--remaining[consumer] == 0)
                {
                    ready.Enqueue(consumer, consumer);
                }
            }
        }
        if (order.Count != workflow.Nodes.Count)
        {
            throw new InvalidOperationException("The workflow has a cycle; validation should have refused it.");
        }
        return order;
    }
}
