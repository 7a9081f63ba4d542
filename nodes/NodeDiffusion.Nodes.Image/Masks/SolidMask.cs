using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Nodes.Image.Imaging;

namespace NodeDiffusion.Nodes.Image.Masks;

[NodeType("SolidMask", Category = "mask", DisplayName = "SolidMask", Description = "A mask filled with one value.")]
public sealed class SolidMask : Node<SolidMask.In, SolidMask.Out>
{
    public sealed record In(
        [Float(1.0, Min = 0.0, Max = 1.0, Step = 0.01)] double Value,
        [Int(512, Min = 1, Max = ImageLimits.MaxSide, Step = 1)] int Width,
        [Int(512, Min = 1, Max = ImageLimits.MaxSide, Step = 1)] int Height);

    public sealed record Out(MaskBatch Mask);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        ImageCodec.CheckSize(inputs.Width, inputs.Height, "the mask");
        var values = new float[inputs.Width * inputs.Height];
        Array.Fill(values, (float)inputs.Value);
        return ValueTask.FromResult(new Out(new MaskBatch(1, inputs.Height, inputs.Width, values)));
    }
}
