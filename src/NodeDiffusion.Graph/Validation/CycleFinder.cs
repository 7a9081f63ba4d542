namespace NodeDiffusion.Graph.Validation;

/// <summary>Finds the strongly connected groups of nodes (Tarjan), each of which is a cycle the user must break.</summary>
internal static class CycleFinder
{
    public static List<List<string>> Find(IEnumerable<string> nodes, Dictionary<string, Dictionary<string, ResolvedLink>> links)
    {
        var index = 0;
        var indices = new Dictionary<string, int>(StringComparer.Ordinal);
        var lowLinks = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var cycles = new List<List<string>>();
        var nodeSet = nodes.ToHashSet(StringComparer.Ordinal);

        IEnumerable<string> Successors(string id) =>
            links.TryGetValue(id, out var inputs) ? inputs.Values.Select(l => l.Target.Node).Where(nodeSet.Contains).Distinct() : [];

        // Iterative Tarjan, so 10,000-node chains cannot overflow the stack.
        foreach (var start in nodeSet.Order(StringComparer.Ordinal))
        {
            if (indices.ContainsKey(start))
            {
                continue;
            }
            var work = new Stack<(string Node, IEnumerator<string> Next)>();
            Visit(start);
            while (work.Count > 0)
            {
                var (node, next) = work.Peek();
                if (next.MoveNext())
                {
                    var successor = next.Current;
                    if (!indices.ContainsKey(successor))
                    {
                        Visit(successor);
                    }
                    else if (onStack.Contains(successor))
                    {
                        lowLinks[node] = Math.Min(lowLinks[node], indices[successor]);
                    }
                    continue;
                }
                work.Pop();
                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    lowLinks[parent] = Math.Min(lowLinks[parent], lowLinks[node]);
                }
                if (lowLinks[node] == indices[node])
                {
                    var component = new List<string>();
                    string member;
                    do
                    {
                        member = stack.Pop();
                        onStack.Remove(member);
                        component.Add(member);
                    }
                    while (member != node);
                    var selfLoop = component.Count == 1 && Successors(node).Contains(node);
                    if (component.Count > 1 || selfLoop)
                    {
                        component.Reverse();
                        cycles.Add(component);
                    }
                }
            }

            void Visit(string node)
            {
                indices[node] = lowLinks[node] = index++;
                stack.Push(node);
                onStack.Add(node);
                work.Push((node, Successors(node).GetEnumerator()));
            }
        }
        return cycles;
    }
}
