using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Latent;

[NodeType("VAEEncodeForInpaint", Category = "latent/inpaint", DisplayName = "VAE Encode (for Inpainting)",
    Description = "Encodes images with the masked area set to grey, and marks the grown mask as the only area to regenerate. Use denoise 1.0.")]
public sealed class VaeEncodeForInpaint : Node<VaeEncodeForInpaint.In, VaeEncodeForInpaint.Out>
{
    public sealed record In(
        ImageBatch Pixels,
        VaeHandle Vae,
        MaskBatch Mask,
        [Int(6, Min = 0, Max = 64, Step = 1, Tooltip = "Pixels to grow the mask by, so the seam blends in latent space.")] int GrowMaskBy);

    public sealed record Out(LatentBatch Latent);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var prepared = InpaintPreparation.Prepare(inputs.Pixels, inputs.Mask, inputs.GrowMaskBy);
        var encoded = VaeEncode.Encode(context, inputs.Vae, prepared.Pixels);
        var pixels = prepared.Pixels;
        // The sampler resizes ComfyUI's pixel-resolution noise_mask to the latent bilinearly; do that once here.
        var noiseMask = PlaneResize.Resize(prepared.NoiseMask, prepared.MaskBatch, pixels.Height, pixels.Width, encoded.Height, encoded.Width, "bilinear");
        return ValueTask.FromResult(new Out(new LatentBatch(encoded.Batch, encoded.Channels, encoded.Height, encoded.Width, encoded.Samples, noiseMask)));
    }
}
