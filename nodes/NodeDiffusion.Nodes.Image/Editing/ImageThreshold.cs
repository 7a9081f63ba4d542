using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;

namespace NodeDiffusion.Nodes.Image.Editing;

[NodeType("ImageThreshold", Category = "image/preprocessors", DisplayName = "Image Threshold",
    Description = "White where the pixel's brightness (Rec. 601 luma) is above the threshold, else black; e.g. to clean up a scribble.")]
public sealed class ImageThreshold : Node<ImageThreshold.In, ImageThreshold.Out>
{
    public sealed record In(
        ImageBatch Image,
        [Float(0.5, Min = 0.0, Max = 1.0, Step = 0.01)] double Threshold);

    public sealed record Out(ImageBatch Image);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var image = inputs.Image;
        var count = image.Batch * image.Height * image.Width;
        var pixels = new float[count * 3];
        var threshold = (float)inputs.Threshold;
        for (var i = 0; i < count; i++)
        {
            var at = i * image.Channels;
            var luma = image.Channels >= 3
                ? (0.299f * image.Pixels[at]) + (0.587f * image.Pixels[at + 1]) + (0.114f * image.Pixels[at + 2])
                : image.Pixels[at];
            var v = luma > threshold ? 1f : 0f;
            (pixels[i * 3], pixels[(i * 3) + 1], pixels[(i * 3) + 2]) = (v, v, v);
        }
        return ValueTask.FromResult(new Out(new ImageBatch(image.Batch, image.Height, image.Width, 3, pixels)));
    }
}
