using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Latent;

[NodeType("VAEDecode", Category = "latent", DisplayName = "VAE Decode", Description = "Decodes latents into images.")]
public sealed class VaeDecode : Node<VaeDecode.In, VaeDecode.Out>
{
    public sealed record In([Input(Tooltip = "The latent to decode.")] LatentBatch Samples, VaeHandle Vae);

    public sealed record Out(ImageBatch Image);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var models = context.Models();
        var checkpoint = models.Open(inputs.Vae.Checkpoint);
        var latent = inputs.Samples;
        if (latent.Channels != checkpoint.Vae.LatentChannels)
        {
            throw new NodeException($"The latent has {latent.Channels} channels but this VAE decodes {checkpoint.Vae.LatentChannels}.", "samples");
        }
        var decoder = models.Compiled.VaeDecoder(checkpoint);
        using var lease = decoder.Acquire();
        var (height, width) = (latent.Height * 8, latent.Width * 8);
        var pixels = new float[(long)latent.Batch * height * width * 3];
        // One image at a time bounds memory, as diffusers decodes.
        for (var b = 0; b < latent.Batch; b++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var item = new FloatTensor([1, latent.Channels, latent.Height, latent.Width], latent.Samples.AsSpan(b * latent.ItemLength, latent.ItemLength).ToArray());
            var decoded = decoder.Run(new Dictionary<string, HostTensor> { ["latent_sample"] = item }, ["sample"])["sample"].Data;
            var plane = height * width;
            var target = pixels.AsSpan(b * plane * 3, plane * 3);
            for (var i = 0; i < plane; i++)
            {
                for (var c = 0; c < 3; c++)
                {
                    target[(i * 3) + c] = Math.Clamp((decoded[(c * plane) + i] + 1f) / 2f, 0f, 1f);
                }
            }
            context.ReportProgress(b + 1, latent.Batch);
        }
        return ValueTask.FromResult(new Out(new ImageBatch(latent.Batch, height, width, 3, pixels)));
    }
}
