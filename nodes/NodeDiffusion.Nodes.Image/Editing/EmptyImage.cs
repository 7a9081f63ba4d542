using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Nodes.Image.Imaging;

namespace NodeDiffusion.Nodes.Image.Editing;

[NodeType("EmptyImage", Category = "image", DisplayName = "Empty Image", Description = "A batch of images filled with one colour (0xRRGGBB).")]
public sealed class EmptyImage : Node<EmptyImage.In, EmptyImage.Out>
{
    public sealed record In(
        [Int(512, Min = 1, Max = ImageLimits.MaxSide)] int Width,
        [Int(512, Min = 1, Max = ImageLimits.MaxSide)] int Height,
        [Int(1, Min = 1, Max = 64)] int BatchSize,
        [Int(0, Min = 0, Max = 0xFFFFFF, Display = "color")] int Color);

    public sealed record Out(ImageBatch Image);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        ImageCodec.CheckSize(inputs.Width, inputs.Height, "the empty image");
        if ((long)inputs.Width * inputs.Height * inputs.BatchSize > ImageLimits.MaxPixels)
        {
            throw new NodeException($"{inputs.BatchSize} images of {inputs.Width}×{inputs.Height} exceed {ImageLimits.MaxPixels:N0} pixels.", "batch_size");
        }
        var red = ((inputs.Color >> 16) & 0xFF) / 255f;
        var green = ((inputs.Color >> 8) & 0xFF) / 255f;
        var blue = (inputs.Color & 0xFF) / 255f;
        return ValueTask.FromResult(new Out(ImageBatch.Filled(inputs.BatchSize, inputs.Height, inputs.Width, red, green, blue)));
    }
}
