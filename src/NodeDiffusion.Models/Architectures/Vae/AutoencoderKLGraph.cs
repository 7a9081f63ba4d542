using NodeDiffusion.Models.Architectures.Common;
using NodeDiffusion.Models.Onnx;
using NodeDiffusion.Models.Weights;
using Onnx;

namespace NodeDiffusion.Models.Architectures.Vae;

/// <summary>
/// diffusers AutoencoderKL as two models. Encoder: <c>sample</c> [B, 3, H, W] in [-1, 1] → <c>latent_parameters</c>
/// (mean ‖ logvar, unclamped), <c>latent_mean</c>, <c>latent_logvar</c> (clamped to [-30, 20]), <c>latent_std</c>.
/// Decoder: <c>latent_sample</c> [B, 4, h, w] → <c>sample</c>. Neither applies scaling_factor.
/// </summary>
public static class AutoencoderKLGraph
{
    public static ModelProto BuildEncoder(AutoencoderKLConfig config, IWeightSource weights)
    {
        var binder = new WeightBinder(weights);
        var g = new GraphBuilder("vae_encoder", binder);
        var eps = AutoencoderKLConfig.NormEpsilon;
        var groups = config.NormNumGroups;
        var channels = config.BlockOutChannels;
        var x = g.Input("sample", ElementType.Float, "batch", config.InChannels, "height", "width");
        Value h;
        using (g.Scope("encoder"))
        {
            h = g.Conv2d(x, "conv_in", config.InChannels, channels[0], 3);
            for (var i = 0; i < channels.Length; i++)
            {
                var inCh = i == 0 ? channels[0] : channels[i - 1];
                for (var j = 0; j < config.LayersPerBlock; j++)
                {
                    h = g.Resnet(h, $"down_blocks.{i}.resnets.{j}", j == 0 ? inCh : channels[i], channels[i], groups, eps);
                }
                if (i < channels.Length - 1)
                {
                    // The encoder pads right and bottom only, then convolves without padding.
                    var padded = g.Pad(h, 0, 0, 0, 0, 0, 0, 1, 1);
                    h = g.Conv2d(padded, $"down_blocks.{i}.downsamplers.0.conv", channels[i], channels[i], 3, stride: 2, padding: 0);
                }
            }
            h = MidBlock(g, h, channels[^1], groups, eps);
            h = g.Silu(g.GroupNorm(h, "conv_norm_out", groups, channels[^1], eps));
            h = g.Conv2d(h, "conv_out", channels[^1], 2 * config.LatentChannels, 3);
        }
        var moments = g.Conv2d(h, "quant_conv", 2 * config.LatentChannels, 2 * config.LatentChannels, 1);
        var lc = config.LatentChannels;
        var mean = g.Slice(moments, [0], [lc], [1]);
        var logvar = g.Clip(g.Slice(moments, [lc], [2 * lc], [1]), -30f, 20f);
        g.Output(moments, "latent_parameters", "batch", 2 * lc, "latent_height", "latent_width");
        g.Output(mean, "latent_mean", "batch", lc, "latent_height", "latent_width");
        g.Output(logvar, "latent_logvar", "batch", lc, "latent_height", "latent_width");
        g.Output(g.Exp(g.Mul(logvar, 0.5f)), "latent_std", "batch", lc, "latent_height", "latent_width");
        binder.Complete(n => n.StartsWith("decoder.", StringComparison.Ordinal) || n.StartsWith("post_quant_conv.", StringComparison.Ordinal));
        return g.Build();
    }

    public static ModelProto BuildDecoder(AutoencoderKLConfig config, IWeightSource weights)
    {
        var binder = new WeightBinder(weights);
        var g = new GraphBuilder("vae_decoder", binder);
        var eps = AutoencoderKLConfig.NormEpsilon;
        var groups = config.NormNumGroups;
        var reversed = config.BlockOutChannels.Reverse().ToArray();
        var lc = config.LatentChannels;
        var z = g.Input("latent_sample", ElementType.Float, "batch", lc, "latent_height", "latent_width");
        var h = g.Conv2d(z, "post_quant_conv", lc, lc, 1);
        using (g.Scope("decoder"))
        {
            h = g.Conv2d(h, "conv_in", lc, reversed[0], 3);
            h = MidBlock(g, h, reversed[0], groups, eps);
            for (var i = 0; i < reversed.Length; i++)
            {
                var inCh = i == 0 ? reversed[0] : reversed[i - 1];
                for (var j = 0; j < config.LayersPerBlock + 1; j++)
                {
                    h = g.Resnet(h, $"up_blocks.{i}.resnets.{j}", j == 0 ? inCh : reversed[i], reversed[i], groups, eps);
                }
                if (i < reversed.Length - 1)
                {
                    h = g.Conv2d(g.UpsampleNearest(h, 2f), $"up_blocks.{i}.upsamplers.0.conv", reversed[i], reversed[i], 3);
                }
            }
            h = g.Silu(g.GroupNorm(h, "conv_norm_out", groups, reversed[^1], eps));
            h = g.Conv2d(h, "conv_out", reversed[^1], config.OutChannels, 3);
        }
        g.Output(h, "sample", "batch", config.OutChannels, "height", "width");
        binder.Complete(n => n.StartsWith("encoder.", StringComparison.Ordinal) || n.StartsWith("quant_conv.", StringComparison.Ordinal));
        return g.Build();
    }

    /// <summary>UNetMidBlock2D: resnet → single-head self-attention (with biases) → resnet.</summary>
    private static Value MidBlock(GraphBuilder g, Value h, long channels, int groups, float eps)
    {
        using var _ = g.Scope("mid_block");
        h = g.Resnet(h, "resnets.0", channels, channels, groups, eps);
        using (g.Scope("attentions.0"))
        {
            var tokens = g.ToTokens(g.GroupNorm(h, "group_norm", groups, channels, eps), channels);
            var q = g.Linear(tokens, "to_q", channels, channels);
            var k = g.Linear(tokens, "to_k", channels, channels);
            var v = g.Linear(tokens, "to_v", channels, channels);
            var attended = g.Linear(g.Attention(q, k, v, 1, channels), "to_out.0", channels, channels);
            h = g.Add(g.FromTokens(attended, h), h);
        }
        return g.Resnet(h, "resnets.1", channels, channels, groups, eps);
    }
}
