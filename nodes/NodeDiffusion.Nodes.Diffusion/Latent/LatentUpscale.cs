using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Latent;

[NodeType("LatentUpscale", Category = "latent", DisplayName = "Upscale Latent",
    Description = "Resizes latents to a pixel size (÷8). A width or height of 0 keeps the aspect ratio; both 0 pass the latent through.")]
public sealed class LatentUpscale : Node<LatentUpscale.In, LatentUpscale.Out>
{
    public sealed record In(
        LatentBatch Samples,
        [Combo("nearest-exact", "bilinear", "area", "bicubic", "bislerp")] string UpscaleMethod,
        [Int(512, Min = 0, Max = EmptyLatentImage.MaxSide, Step = 8)] int Width,
        [Int(512, Min = 0, Max = EmptyLatentImage.MaxSide, Step = 8)] int Height,
        [Combo("disabled", "center")] string Crop);

    public sealed record Out(LatentBatch Latent);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var latent = inputs.Samples;
        var (width, height) = (inputs.Width, inputs.Height);
        if (width == 0 && height == 0)
        {
            return ValueTask.FromResult(new Out(latent));
        }
        // ComfyUI: at least 64 pixels a side; a 0 side follows the latent's aspect ratio (rounded half to even).
        if (width == 0)
        {
            height = Math.Max(64, height);
            width = Math.Max(64, (int)Math.Round(latent.Width * (double)height / latent.Height));
        }
        else if (height == 0)
        {
            width = Math.Max(64, width);
            height = Math.Max(64, (int)Math.Round(latent.Height * (double)width / latent.Width));
        }
        else
        {
            (width, height) = (Math.Max(64, width), Math.Max(64, height));
        }
        return ValueTask.FromResult(new Out(LatentUpscaling.Upscale(latent, width / 8, height / 8, inputs.UpscaleMethod, inputs.Crop == "center", "width")));
    }
}
