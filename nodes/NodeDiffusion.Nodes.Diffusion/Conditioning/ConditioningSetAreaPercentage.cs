using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Conditioning;

[NodeType("ConditioningSetAreaPercentage", Category = "conditioning", DisplayName = "Conditioning (Set Area with Percentage)",
    Description = "Limits a conditioning to a rectangle given as fractions of the image.")]
public sealed class ConditioningSetAreaPercentage : Node<ConditioningSetAreaPercentage.In, ConditioningSetAreaPercentage.Out>
{
    public sealed record In(
        ConditioningList Conditioning,
        [Float(1.0, Min = 0, Max = 1, Step = 0.01)] double Width,
        [Float(1.0, Min = 0, Max = 1, Step = 0.01)] double Height,
        [Float(0, Min = 0, Max = 1, Step = 0.01)] double X,
        [Float(0, Min = 0, Max = 1, Step = 0.01)] double Y,
        [Float(1.0, Min = 0, Max = 10, Step = 0.01)] double Strength);

    public sealed record Out(ConditioningList Conditioning);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) =>
        ValueTask.FromResult(new Out(AreaEdits.Set(inputs.Conditioning, new ConditioningArea(true, inputs.Height, inputs.Width, inputs.Y, inputs.X), inputs.Strength)));
}
