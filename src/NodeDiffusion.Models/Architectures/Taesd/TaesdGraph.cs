using NodeDiffusion.Models.Architectures.Common;
using NodeDiffusion.Models.Onnx;
using NodeDiffusion.Models.Weights;
using Onnx;

namespace NodeDiffusion.Models.Architectures.Taesd;

/// <summary>
/// TAESD (madebyollin/taesd, parameter names = the Sequential indices of its .pth files). Encoder: <c>sample</c> RGB in
/// [0, 1] → <c>latent</c> (already in scaled latent units, no 0.18215). Decoder: <c>latent</c> → <c>sample</c> (raw) and
/// <c>image</c> (clamped to [0, 1]).
/// </summary>
public static class TaesdGraph
{
    private const int C = TaesdConfig.Channels;

    public static ModelProto BuildEncoder(TaesdConfig config, IWeightSource weights)
    {
        var binder = new WeightBinder(weights);
        var g = new GraphBuilder("taesd_encoder", binder);
        var h = g.Input("sample", ElementType.Float, "batch", 3, "height", "width");
        h = g.Conv2d(h, "0", 3, C, 3);
        h = Block(g, h, "1", false);
        var index = 2;
        for (var stage = 0; stage < 3; stage++)
        {
            h = g.Conv2d(h, $"{index++}", C, C, 3, stride: 2, bias: false);
            for (var b = 0; b < 3; b++)
            {
                h = Block(g, h, $"{index++}", stage == 2 && config.MidBlockGroupNorm);
            }
        }
        h = g.Conv2d(h, $"{index}", C, config.LatentChannels, 3);
        g.Output(h, "latent", "batch", config.LatentChannels, "latent_height", "latent_width");
        binder.Complete();
        return g.Build();
    }

    public static ModelProto BuildDecoder(TaesdConfig config, IWeightSource weights)
    {
        var binder = new WeightBinder(weights);
        var g = new GraphBuilder("taesd_decoder", binder);
        var z = g.Input("latent", ElementType.Float, "batch", config.LatentChannels, "latent_height", "latent_width");
        var h = g.Mul(g.Tanh(g.Div(z, 3f)), 3f);                 // 0: Clamp
        h = g.Relu(g.Conv2d(h, "1", config.LatentChannels, C, 3)); // 1, 2
        var index = 3;
        for (var stage = 0; stage < 3; stage++)
        {
            for (var b = 0; b < 3; b++)
            {
                h = Block(g, h, $"{index++}", stage == 0 && config.MidBlockGroupNorm);
            }
            index++;                                                // Upsample
            h = g.Conv2d(g.UpsampleNearest(h, 2f), $"{index++}", C, C, 3, bias: false);
        }
        h = Block(g, h, $"{index++}", false);
        h = g.Conv2d(h, $"{index}", C, 3, 3);
        g.Output(h, "sample", "batch", 3, "height", "width");
        g.Output(g.Clip(h, 0f, 1f), "image", "batch", 3, "height", "width");
        binder.Complete();
        return g.Build();
    }

    /// <summary>relu(conv(x) + x) with conv = conv3×3, ReLU, conv3×3, ReLU, conv3×3; FLUX.2 adds x += pool(x) first.</summary>
    private static Value Block(GraphBuilder g, Value x, string module, bool midBlockGroupNorm)
    {
        using var _ = g.Scope(module);
        if (midBlockGroupNorm)
        {
            var p = g.Conv2d(x, "pool.0", C, 4 * C, 1, bias: false);
            p = g.Relu(g.GroupNorm(p, "pool.1", 4, 4 * C, 1e-5f));
            x = g.Add(x, g.Conv2d(p, "pool.3", 4 * C, C, 1, bias: false));
        }
        var h = g.Relu(g.Conv2d(x, "conv.0", C, C, 3));
        h = g.Relu(g.Conv2d(h, "conv.2", C, C, 3));
        h = g.Conv2d(h, "conv.4", C, C, 3);
        return g.Relu(g.Add(h, x));
    }
}
