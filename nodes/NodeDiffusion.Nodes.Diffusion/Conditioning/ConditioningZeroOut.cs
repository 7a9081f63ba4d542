using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Conditioning;

[NodeType("ConditioningZeroOut", Category = "advanced/conditioning", DisplayName = "ConditioningZeroOut",
    Description = "Replaces the embeddings and pooled output by zeros, keeping the options (area, strength, control).")]
public sealed class ConditioningZeroOut : Node<ConditioningZeroOut.In, ConditioningZeroOut.Out>
{
    public sealed record In(ConditioningList Conditioning);

    public sealed record Out(ConditioningList Conditioning);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) =>
        ValueTask.FromResult(new Out(new ConditioningList(inputs.Conditioning.Entries
            .Select(e => e with { Embeddings = new float[e.Embeddings.Length], Pooled = new float[e.Pooled.Length] }).ToList())));
}
