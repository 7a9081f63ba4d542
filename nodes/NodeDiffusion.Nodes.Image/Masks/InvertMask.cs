using System.Numerics.Tensors;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;

namespace NodeDiffusion.Nodes.Image.Masks;

[NodeType("InvertMask", Category = "mask", DisplayName = "InvertMask", Description = "1 − mask.")]
public sealed class InvertMask : Node<InvertMask.In, InvertMask.Out>
{
    public sealed record In(MaskBatch Mask);

    public sealed record Out(MaskBatch Mask);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var mask = inputs.Mask;
        var values = new float[mask.Values.Length];
        TensorPrimitives.Subtract(1f, mask.Values, values);
        return ValueTask.FromResult(new Out(new MaskBatch(mask.Batch, mask.Height, mask.Width, values)));
    }
}
