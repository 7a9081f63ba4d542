namespace NodeDiffusion.Nodes.Diffusion.Sampling;

/// <summary>
/// ComfyUI's <c>can_concat_cond</c>: entries of either side share one model call when their crops have the same size,
/// they carry the same ControlNet chain, and their contexts concatenate (same width; token counts whose least common
/// multiple is at most 4× the shorter, CONDCrossAttn's rule). A batch is bounded like ComfyUI's maximum_batch_area: here
/// by the larger of what the single-pass path runs (2 × the latent batch at full size) and <see cref="MinBatchArea"/>.
/// </summary>
internal static class SlotGrouping
{
    /// <summary>Latent cells one call may always hold: four 512×512 SD1.x images.</summary>
    public const long MinBatchArea = 4L * 64 * 64;

    /// <summary>Groups the slots in order (first-fit, cond entries before uncond ones as ComfyUI lists them); each group is one call.</summary>
    /// <param name="batched">false: one call per entry (the path before batching; kept for comparison).</param>
    public static List<List<ConditionSlot>> Plan(IReadOnlyList<ConditionSlot> slots, int latentBatch, int latentHeight, int latentWidth, bool batched = true)
    {
        var maxArea = Math.Max(2L * latentBatch * latentHeight * latentWidth, MinBatchArea);
        var groups = new List<List<ConditionSlot>>();
        foreach (var slot in slots)
        {
            var group = batched ? groups.Find(g => Fits(g, slot, latentBatch, maxArea)) : null;
            if (group is null)
            {
                groups.Add([slot]);
            }
            else
            {
                group.Add(slot);
            }
        }
        return groups;
    }

    /// <summary>CONDCrossAttn.can_concat: two contexts share a call when their common length is at most 4× the shorter.</summary>
    public static bool ContextsConcatenate(int tokensA, int tokensB) => CommonTokens(tokensA, tokensB) <= 4 * Math.Min(tokensA, tokensB);

    /// <summary>The common token count of two contexts (their least common multiple).</summary>
    public static int CommonTokens(int a, int b) => a / GreatestCommonDivisor(a, b) * b;

    private static bool Fits(List<ConditionSlot> group, ConditionSlot slot, int latentBatch, long maxArea)
    {
        var first = group[0];
        if (first.Area.Height != slot.Area.Height || first.Area.Width != slot.Area.Width ||
            first.Entry.Dim != slot.Entry.Dim || !first.Entry.Control.Equals(slot.Entry.Control))
        {
            return false;
        }
        var tokens = group.Aggregate(slot.Entry.Tokens, (t, s) => CommonTokens(t, s.Entry.Tokens));
        if (tokens > 4 * group.Append(slot).Min(s => s.Entry.Tokens))
        {
            return false;
        }
        return (long)(group.Count + 1) * latentBatch * slot.Area.Height * slot.Area.Width <= maxArea;
    }

    private static int GreatestCommonDivisor(int a, int b) => b == 0 ? a : GreatestCommonDivisor(b, a % b);
}
