using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Conditioning;

[NodeType("ConditioningAverage", Category = "conditioning", DisplayName = "Conditioning (Average)",
    Description = "Blends each conditioning_to entry with the first conditioning_from entry: to·s + from·(1 − s), token by token.")]
public sealed class ConditioningAverage : Node<ConditioningAverage.In, ConditioningAverage.Out>
{
    public sealed record In(
        ConditioningList ConditioningTo,
        ConditioningList ConditioningFrom,
        [Float(1.0, Min = 0, Max = 1, Step = 0.01, Tooltip = "Weight of conditioning_to; 1 keeps it, 0 replaces it by conditioning_from.")] double ConditioningToStrength);

    public sealed record Out(ConditioningList Conditioning);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        if (inputs.ConditioningFrom.Entries.Count == 0)
        {
            throw new NodeException("conditioning_from is empty.", "conditioning_from");
        }
        if (inputs.ConditioningFrom.Entries.Count > 1)
        {
            context.Warn("conditioning_from has more than one entry; only the first is blended in, as in ComfyUI.");
        }
        var from = inputs.ConditioningFrom.Entries[0];
        var toWeight = (float)inputs.ConditioningToStrength;
        var fromWeight = (float)(1.0 - inputs.ConditioningToStrength);
        var entries = new List<ConditioningEntry>(inputs.ConditioningTo.Entries.Count);
        foreach (var to in inputs.ConditioningTo.Entries)
        {
            if (to.Dim != from.Dim)
            {
                throw new NodeException($"conditioning_to is {to.Dim} wide but conditioning_from is {from.Dim}; they must come from the same text encoder.", "conditioning_from");
            }
            var blended = new float[to.Embeddings.Length];
            var shared = Math.Min(from.Embeddings.Length, blended.Length);
            for (var i = 0; i < blended.Length; i++)
            {
                // Past the end of a shorter conditioning_from, ComfyUI pads it with zeros.
                var fromValue = i < shared ? from.Embeddings[i] : 0f;
                blended[i] = (to.Embeddings[i] * toWeight) + (fromValue * fromWeight);
            }
            var pooled = new float[to.Pooled.Length];
            for (var i = 0; i < pooled.Length; i++)
            {
                pooled[i] = (to.Pooled[i] * toWeight) + ((i < from.Pooled.Length ? from.Pooled[i] : 0f) * fromWeight);
            }
            entries.Add(to with { Embeddings = blended, Pooled = pooled });
        }
        return ValueTask.FromResult(new Out(new ConditioningList(entries)));
    }
}
