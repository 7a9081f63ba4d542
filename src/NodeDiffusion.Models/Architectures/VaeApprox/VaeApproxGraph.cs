using NodeDiffusion.Models.Architectures.Common;
using NodeDiffusion.Models.Onnx;
using NodeDiffusion.Models.Weights;
using Onnx;

namespace NodeDiffusion.Models.Architectures.VaeApprox;

/// <summary>
/// AUTOMATIC1111's "VAE approx" SD1 preview decoder (models/VAE-approx/model.pt): nearest ×2, zero pad 11, eight unpadded
/// convolutions each followed by LeakyReLU(0.1). Input <c>latent_sample</c> (sampler latents, already ·0.18215) →
/// <c>sample</c> [B, 3, 2h, 2w] in ≈[-1, 1] and <c>image</c> = clamp(sample/2 + 0.5, 0, 1).
/// </summary>
public static class VaeApproxGraph
{
    private static readonly (int Out, int Kernel)[] Convs = [(8, 7), (16, 5), (32, 3), (64, 3), (32, 3), (16, 3), (8, 3), (3, 3)];

    public static ModelProto Build(IWeightSource weights, int latentChannels = 4)
    {
        var binder = new WeightBinder(weights);
        var g = new GraphBuilder("vae_approx", binder);
        var z = g.Input("latent_sample", ElementType.Float, "batch", latentChannels, "latent_height", "latent_width");
        var h = g.Pad(g.UpsampleNearest(z, 2f), 0, 0, 11, 11, 0, 0, 11, 11);
        long channels = latentChannels;
        for (var i = 0; i < Convs.Length; i++)
        {
            h = g.LeakyRelu(g.Conv2d(h, $"conv{i + 1}", channels, Convs[i].Out, Convs[i].Kernel, padding: 0), 0.1f);
            channels = Convs[i].Out;
        }
        g.Output(h, "sample", "batch", 3, "height", "width");
        g.Output(g.Clip(g.Add(g.Mul(h, 0.5f), 0.5f), 0f, 1f), "image", "batch", 3, "height", "width");
        binder.Complete();
        return g.Build();
    }
}
