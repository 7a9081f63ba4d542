using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Sampling;

/// <summary>
/// ComfyUI's <c>create_cond_with_same_area_if_none</c>: every entry with an area gets a counterpart with the same area
/// on the other side (positive ↔ negative), made from the smallest entry there that contains it, so guidance compares
/// like with like inside the area. The counterpart keeps the area entry's options (strength, control).
/// </summary>
internal static class AreaPairing
{
    public static void Complete(List<ConditioningEntry> positive, List<ConditioningEntry> negative, int latentHeight, int latentWidth)
    {
        var sides = new[] { positive, negative };
        for (var k = 0; k < sides.Length; k++)
        {
            for (var i = 0; i < sides[k].Count; i++)
            {
                AddCounterpart(sides[1 - k], sides[k][i], latentHeight, latentWidth);
            }
        }
    }

    private static void AddCounterpart(List<ConditioningEntry> others, ConditioningEntry entry, int latentHeight, int latentWidth)
    {
        if (entry.Area is null)
        {
            return;
        }
        var area = entry.Area.Unclamped(latentHeight, latentWidth);
        ConditioningEntry? smallest = null;
        foreach (var other in others)
        {
            if (other.Area is null)
            {
                smallest ??= other;
                continue;
            }
            var candidate = other.Area.Unclamped(latentHeight, latentWidth);
            if (!Inside(area, candidate))
            {
                continue;
            }
            if (smallest?.Area is null)
            {
                smallest = other;
            }
            else
            {
                var current = smallest.Area.Unclamped(latentHeight, latentWidth);
                if ((long)current.Height * current.Width > (long)candidate.Height * candidate.Width)
                {
                    smallest = other;
                }
            }
        }
        if (smallest is null || (smallest.Area is not null && smallest.Area.Unclamped(latentHeight, latentWidth) == area))
        {
            return;
        }
        others.Add(entry with { Embeddings = smallest.Embeddings, Tokens = smallest.Tokens, Dim = smallest.Dim, Pooled = smallest.Pooled });
    }

    private static bool Inside((int Height, int Width, int Y, int X) a, (int Height, int Width, int Y, int X) container) =>
        a.Y >= container.Y && a.X >= container.X &&
        a.Height + a.Y <= container.Height + container.Y && a.Width + a.X <= container.Width + container.X;
}
