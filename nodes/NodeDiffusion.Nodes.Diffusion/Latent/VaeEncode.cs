using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Latent;

[NodeType("VAEEncode", Category = "latent", DisplayName = "VAE Encode",
    Description = "Encodes images into latents (the distribution's mean), for image to image. Sizes are cropped to multiples of 8.")]
public sealed class VaeEncode : Node<VaeEncode.In, VaeEncode.Out>
{
    public sealed record In(ImageBatch Pixels, VaeHandle Vae);

    public sealed record Out(LatentBatch Latent);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) =>
        ValueTask.FromResult(new Out(Encode(context, inputs.Vae, inputs.Pixels)));

    /// <summary>Centre-crops to multiples of 8 and encodes the first three channels of every image.</summary>
    internal static LatentBatch Encode(INodeContext context, VaeHandle vae, ImageBatch image)
    {
        var models = context.Models();
        var checkpoint = models.Open(vae.Checkpoint);
        var (height, width) = (image.Height / 8 * 8, image.Width / 8 * 8);
        if (height == 0 || width == 0)
        {
            throw new NodeException($"The image is {image.Width}×{image.Height}; at least 8×8 pixels are needed.", "pixels");
        }
        var (top, left) = ((image.Height - height) / 2, (image.Width - width) / 2);
        if (checkpoint.Onnx is { } onnx && !File.Exists(onnx.VaeEncoder))
        {
            throw new NodeException($"The ONNX checkpoint \"{checkpoint.DisplayName}\" has no vae_encoder/model.onnx; encoding images needs it.", "vae");
        }
        var encoder = models.Compiled.VaeEncoder(checkpoint);
        using var lease = encoder.Acquire();
        var channels = checkpoint.Vae.LatentChannels;
        var latentLength = channels * (height / 8) * (width / 8);
        var samples = new float[image.Batch * latentLength];
        var plane = height * width;
        for (var b = 0; b < image.Batch; b++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var source = image.Image(b);
            var input = new float[3 * plane];
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var from = (((y + top) * image.Width) + x + left) * image.Channels;
                    for (var c = 0; c < 3; c++)
                    {
                        input[(c * plane) + (y * width) + x] = (source[from + Math.Min(c, image.Channels - 1)] * 2f) - 1f;
                    }
                }
            }
            var mean = encoder.Run(new Dictionary<string, HostTensor> { ["sample"] = new FloatTensor([1, 3, height, width], input) }, ["latent_mean"])["latent_mean"].Data;
            mean.CopyTo(samples, b * latentLength);
        }
        return new LatentBatch(image.Batch, channels, height / 8, width / 8, samples);
    }
}
