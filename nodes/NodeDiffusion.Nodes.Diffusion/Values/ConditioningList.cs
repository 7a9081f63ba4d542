using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Nodes.Diffusion.Values;

/// <summary>CONDITIONING: a list of conditionings, as ComfyUI passes them.</summary>
[PortType(PortTypes.Conditioning)]
public sealed record ConditioningList(IReadOnlyList<ConditioningEntry> Entries) : ISizedValue
{
    public long ByteSize => Entries.Sum(e => ((long)e.Embeddings.Length + e.Pooled.Length) * sizeof(float));
}
