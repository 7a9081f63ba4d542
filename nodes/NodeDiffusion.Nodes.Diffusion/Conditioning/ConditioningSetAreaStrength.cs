using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Conditioning;

[NodeType("ConditioningSetAreaStrength", Category = "conditioning", DisplayName = "Conditioning (Set Area Strength)",
    Description = "Sets how strongly each entry weighs when the sampler averages overlapping conditionings.")]
public sealed class ConditioningSetAreaStrength : Node<ConditioningSetAreaStrength.In, ConditioningSetAreaStrength.Out>
{
    public sealed record In(ConditioningList Conditioning, [Float(1.0, Min = 0, Max = 10, Step = 0.01)] double Strength);

    public sealed record Out(ConditioningList Conditioning);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) =>
        ValueTask.FromResult(new Out(new ConditioningList(inputs.Conditioning.Entries.Select(e => e with { Strength = inputs.Strength }).ToList())));
}
