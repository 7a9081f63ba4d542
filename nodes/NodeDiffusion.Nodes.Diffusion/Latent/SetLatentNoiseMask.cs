using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Latent;

[NodeType("SetLatentNoiseMask", Category = "latent/inpaint", DisplayName = "Set Latent Noise Mask",
    Description = "Limits sampling to the masked area (1 = regenerate); the rest keeps the input latent. The mask is resized to the latent bilinearly.")]
public sealed class SetLatentNoiseMask : Node<SetLatentNoiseMask.In, SetLatentNoiseMask.Out>
{
    public sealed record In(LatentBatch Samples, MaskBatch Mask);

    public sealed record Out(LatentBatch Latent);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var (latent, mask) = (inputs.Samples, inputs.Mask);
        if (mask.Batch < 1 || mask.Height < 1 || mask.Width < 1)
        {
            throw new NodeException("The mask is empty.", "mask");
        }
        var noiseMask = PlaneResize.Resize(mask.Values, mask.Batch, mask.Height, mask.Width, latent.Height, latent.Width, "bilinear");
        return ValueTask.FromResult(new Out(new LatentBatch(latent.Batch, latent.Channels, latent.Height, latent.Width, latent.Samples, noiseMask)));
    }
}
