using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Latent;

[NodeType("EmptyLatentImage", Category = "latent", DisplayName = "Empty Latent Image",
    Description = "A batch of empty latents to denoise from scratch (text to image).")]
public sealed class EmptyLatentImage : Node<EmptyLatentImage.In, EmptyLatentImage.Out>
{
    public const int MaxSide = 16384;

    public sealed record In(
        [Int(512, Min = 16, Max = MaxSide, Step = 8, Tooltip = "Image width in pixels.")] int Width,
        [Int(512, Min = 16, Max = MaxSide, Step = 8, Tooltip = "Image height in pixels.")] int Height,
        [Int(1, Min = 1, Max = 4096, Tooltip = "How many images.")] int BatchSize);

    public sealed record Out(LatentBatch Latent);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var (height, width) = (inputs.Height / 8, inputs.Width / 8);
        var values = (long)inputs.BatchSize * 4 * height * width;
        if (values > 64L * 1024 * 1024)
        {
            throw new NodeException($"{inputs.BatchSize} latents of {inputs.Width}×{inputs.Height} are too large ({values:N0} values).", "batch_size");
        }
        return ValueTask.FromResult(new Out(new LatentBatch(inputs.BatchSize, 4, height, width, new float[values])));
    }
}
