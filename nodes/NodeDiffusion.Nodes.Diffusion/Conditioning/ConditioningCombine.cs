using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Conditioning;

[NodeType("ConditioningCombine", Category = "conditioning", DisplayName = "Conditioning (Combine)",
    Description = "Joins two conditionings into one list; the sampler predicts with each and averages the results by area and strength.")]
public sealed class ConditioningCombine : Node<ConditioningCombine.In, ConditioningCombine.Out>
{
    public sealed record In([Input(Name = "conditioning_1")] ConditioningList Conditioning1, [Input(Name = "conditioning_2")] ConditioningList Conditioning2);

    public sealed record Out(ConditioningList Conditioning);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) =>
        ValueTask.FromResult(new Out(new ConditioningList([.. inputs.Conditioning1.Entries, .. inputs.Conditioning2.Entries])));
}
