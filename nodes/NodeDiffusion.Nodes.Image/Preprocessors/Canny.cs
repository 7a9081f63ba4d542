using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;

namespace NodeDiffusion.Nodes.Image.Preprocessors;

[NodeType("Canny", Category = "image/preprocessors", DisplayName = "Canny",
    Description = "Edge map for a canny ControlNet, as ComfyUI's Canny node: grey, Gaussian blur, gradient thresholds in 0–1, white edges on black.")]
public sealed class Canny : Node<Canny.In, Canny.Out>
{
    public sealed record In(
        ImageBatch Image,
        [Float(0.4, Min = 0.01, Max = 0.99, Step = 0.01)] double LowThreshold,
        [Float(0.8, Min = 0.01, Max = 0.99, Step = 0.01)] double HighThreshold);

    public sealed record Out(ImageBatch Image);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var image = inputs.Image;
        var result = EdgeImages.Build(image, b =>
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            return CannyEdges.Kornia(image.Image(b), image.Height, image.Width, image.Channels, (float)inputs.LowThreshold, (float)inputs.HighThreshold);
        });
        return ValueTask.FromResult(new Out(result));
    }
}
