namespace NodeDiffusion.Graph.Validation;

/// <summary>Finds the names closest to a misspelled one, for "did you mean" hints.</summary>
public static class ClosestNames
{
    public static IReadOnlyList<string> Find(string wanted, IEnumerable<string> candidates, int count = 3)
    {
        var lowered = wanted.ToLowerInvariant();
        return candidates
            .Select(c => (Name: c, Distance: Distance(lowered, c.ToLowerInvariant()) - (c.Contains(wanted, StringComparison.OrdinalIgnoreCase) ? 100 : 0)))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(count)
            .Select(c => c.Name)
            .ToList();
    }

    public static string Hint(string wanted, IEnumerable<string> candidates)
    {
        var closest = Find(wanted, candidates);
        return closest.Count == 0 ? "" : $" Closest: {string.Join(", ", closest.Select(c => $"\"{c}\""))}.";
    }

    /// <summary>Levenshtein distance, bounded in cost by the short strings names are.</summary>
    private static int Distance(string a, string b)
    {
        if (a.Length > 256 || b.Length > 256)
        {
            return Math.Abs(a.Length - b.Length) + 256;
        }
        Span<int> previous = stackalloc int[b.Length + 1];
        Span<int> current = stackalloc int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            current.CopyTo(previous);
        }
        return previous[b.Length];
    }
}
