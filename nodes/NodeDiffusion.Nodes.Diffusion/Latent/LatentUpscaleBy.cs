using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Latent;

[NodeType("LatentUpscaleBy", Category = "latent", DisplayName = "Upscale Latent By",
    Description = "Resizes latents by a factor (each side rounded half to even), e.g. for a hires-fix second pass.")]
public sealed class LatentUpscaleBy : Node<LatentUpscaleBy.In, LatentUpscaleBy.Out>
{
    public sealed record In(
        LatentBatch Samples,
        [Combo("nearest-exact", "bilinear", "area", "bicubic", "bislerp")] string UpscaleMethod,
        [Float(1.5, Min = 0.01, Max = 8.0, Step = 0.01)] double ScaleBy);

    public sealed record Out(LatentBatch Latent);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var latent = inputs.Samples;
        var width = (int)Math.Round(latent.Width * inputs.ScaleBy);
        var height = (int)Math.Round(latent.Height * inputs.ScaleBy);
        return ValueTask.FromResult(new Out(LatentUpscaling.Upscale(latent, width, height, inputs.UpscaleMethod, centerCrop: false, "scale_by")));
    }
}
