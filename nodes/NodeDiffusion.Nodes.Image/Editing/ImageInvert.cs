using System.Numerics.Tensors;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;

namespace NodeDiffusion.Nodes.Image.Editing;

[NodeType("ImageInvert", Category = "image", DisplayName = "Invert Image", Description = "1 − image, e.g. to turn a white-on-black scribble around.")]
public sealed class ImageInvert : Node<ImageInvert.In, ImageInvert.Out>
{
    public sealed record In(ImageBatch Image);

    public sealed record Out(ImageBatch Image);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var source = inputs.Image;
        var pixels = new float[source.Pixels.Length];
        TensorPrimitives.Subtract(1f, source.Pixels, pixels);
        return ValueTask.FromResult(new Out(new ImageBatch(source.Batch, source.Height, source.Width, source.Channels, pixels)));
    }
}
