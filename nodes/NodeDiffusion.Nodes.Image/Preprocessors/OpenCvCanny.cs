using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;

namespace NodeDiffusion.Nodes.Image.Preprocessors;

[NodeType("OpenCVCanny", Category = "image/preprocessors", DisplayName = "Canny (OpenCV)",
    Description = "Edge map as the ControlNet annotator's cv2.Canny: no blur, 3×3 Sobel on the 8-bit image, thresholds in gradient units (0–255 range).")]
public sealed class OpenCvCanny : Node<OpenCvCanny.In, OpenCvCanny.Out>
{
    public sealed record In(
        ImageBatch Image,
        [Int(100, Min = 0, Max = 255, Step = 1)] int LowThreshold,
        [Int(200, Min = 0, Max = 255, Step = 1)] int HighThreshold,
        [Boolean(false, Tooltip = "Use √(dx²+dy²) instead of OpenCV's default |dx|+|dy|.")] bool L2Gradient);

    public sealed record Out(ImageBatch Image);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var image = inputs.Image;
        var channels = image.Channels >= 3 ? 3 : 1;
        var bytes = new byte[image.Height * image.Width * channels];
        var result = EdgeImages.Build(image, b =>
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            EdgeImages.ToBytes(image.Image(b), image.Channels, channels, bytes);
            return CannyEdges.OpenCv(bytes, image.Height, image.Width, channels, inputs.LowThreshold, inputs.HighThreshold, inputs.L2Gradient);
        });
        return ValueTask.FromResult(new Out(result));
    }
}
