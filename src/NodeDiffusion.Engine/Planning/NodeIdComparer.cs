namespace NodeDiffusion.Engine.Planning;

/// <summary>Orders node ids numerically when both are numbers ("9" before "10"), otherwise ordinally.</summary>
public sealed class NodeIdComparer : IComparer<string>
{
    public static NodeIdComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (long.TryParse(x, out var a) && long.TryParse(y, out var b))
        {
            return a.CompareTo(b);
        }
        return string.CompareOrdinal(x, y);
    }
}
