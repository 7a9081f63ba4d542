using NodeDiffusion.Graph.Schema;

namespace NodeDiffusion.Server.Editor;

/// <summary>Fuzzy search over node types by display name, type id and category.</summary>
public static class NodeSearch
{
    public static IReadOnlyList<NodeSchema> Find(string query, IEnumerable<NodeSchema> schemas, int max = 20)
    {
        query = query.Trim();
        if (query.Length == 0)
        {
            return schemas.OrderBy(s => s.Category, StringComparer.Ordinal).ThenBy(s => s.DisplayName, StringComparer.Ordinal).Take(max).ToList();
        }
        return schemas
            .Select(s => (Schema: s, Score: Score(query, s)))
            .Where(x => x.Score > 0)
            .OrderByDescending(x => x.Score)
            .ThenBy(x => x.Schema.DisplayName, StringComparer.Ordinal)
            .Take(max)
            .Select(x => x.Schema)
            .ToList();
    }

    public static int Score(string query, NodeSchema schema) =>
        new[] { Score(query, schema.DisplayName) * 3, Score(query, schema.TypeId) * 3, Score(query, schema.Category) }.Max();

    /// <summary>Higher is better: whole-word prefix, then substring, then the letters in order (fewer gaps is better).</summary>
    public static int Score(string query, string text)
    {
        if (text.StartsWith(query, StringComparison.OrdinalIgnoreCase))
        {
            return 1000 - text.Length;
        }
        var index = text.IndexOf(query, StringComparison.OrdinalIgnoreCase);
        if (index >= 0)
        {
            return 800 - index - text.Length;
        }
        var position = 0;
        var gaps = 0;
        foreach (var c in query)
        {
            if (char.IsWhiteSpace(c))
            {
                continue;
            }
            var found = text.IndexOf(c.ToString(), position, StringComparison.OrdinalIgnoreCase);
            if (found < 0)
            {
                return 0;
            }
            gaps += found - position;
            position = found + 1;
        }
        return Math.Max(1, 400 - (gaps * 10) - text.Length);
    }
}
