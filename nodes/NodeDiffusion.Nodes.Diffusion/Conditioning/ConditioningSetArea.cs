using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Conditioning;

[NodeType("ConditioningSetArea", Category = "conditioning", DisplayName = "Conditioning (Set Area)",
    Description = "Limits a conditioning to a rectangle in pixels (multiples of 8); the sampler blends it in with feathered edges.")]
public sealed class ConditioningSetArea : Node<ConditioningSetArea.In, ConditioningSetArea.Out>
{
    public const int MaxResolution = 16384;

    public sealed record In(
        ConditioningList Conditioning,
        [Int(64, Min = 64, Max = MaxResolution, Step = 8)] int Width,
        [Int(64, Min = 64, Max = MaxResolution, Step = 8)] int Height,
        [Int(0, Min = 0, Max = MaxResolution, Step = 8)] int X,
        [Int(0, Min = 0, Max = MaxResolution, Step = 8)] int Y,
        [Float(1.0, Min = 0, Max = 10, Step = 0.01)] double Strength);

    public sealed record Out(ConditioningList Conditioning);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) =>
        ValueTask.FromResult(new Out(AreaEdits.Set(inputs.Conditioning, ConditioningArea.FromPixels(inputs.Width, inputs.Height, inputs.X, inputs.Y), inputs.Strength)));
}
