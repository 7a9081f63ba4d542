using NodeDiffusion.Models.Architectures.Common;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Onnx;
using NodeDiffusion.Models.Weights;
using Onnx;

namespace NodeDiffusion.Models.Architectures.ControlNet;

/// <summary>
/// diffusers ControlNetModel: inputs <c>sample</c>, <c>timestep</c>, <c>encoder_hidden_states</c> (as the UNet),
/// <c>controlnet_cond</c> [B, 3, 8h, 8w] RGB in [0, 1] and <c>conditioning_scale</c> [1]; outputs
/// <c>down_block_{i}_additional_residual</c> and <c>mid_block_additional_residual</c>, scale applied, ready for the UNet's
/// residual inputs.
/// </summary>
public static class ControlNetGraph
{
    public static ModelProto Build(ControlNetConfig config, IWeightSource weights)
    {
        var trunk = config.Trunk;
        var binder = new WeightBinder(weights);
        var g = new GraphBuilder("controlnet", binder);
        var sample = g.Input("sample", ElementType.Float, "batch", trunk.InChannels, "height", "width");
        var timestep = g.Input("timestep", ElementType.Float, "timestep_batch");
        var context = new Conditioning(g.Input("encoder_hidden_states", ElementType.Float, "batch", "sequence", trunk.CrossAttentionDim));
        var cond = g.Input("controlnet_cond", ElementType.Float, "batch", config.ConditioningChannels, "image_height", "image_width");
        var scale = g.Input("conditioning_scale", ElementType.Float, 1);

        var temb = UNetBlocks.TimeEmbedding(g, trunk, timestep);
        var h = g.Add(g.Conv2d(sample, "conv_in", trunk.InChannels, trunk.BlockOutChannels[0], 3), ConditioningEmbedding(g, config, cond));
        var down = UNetBlocks.Down(g, trunk, h, temb, context);
        var mid = UNetBlocks.Mid(g, trunk, down.Hidden, temb, context);

        for (var i = 0; i < down.Skips.Count; i++)
        {
            var (skip, channels) = down.Skips[i];
            var residual = g.Mul(g.Conv2d(skip, $"controlnet_down_blocks.{i}", channels, channels, 1), scale);
            g.Output(residual, string.Format(System.Globalization.CultureInfo.InvariantCulture, UNet2DConditionGraph.DownResidualFormat, i));
        }
        var midChannels = trunk.BlockOutChannels[^1];
        g.Output(g.Mul(g.Conv2d(mid, "controlnet_mid_block", midChannels, midChannels, 1), scale), UNet2DConditionGraph.MidResidual);

        // A ControlNet often ships as a diff over its UNet; the UNet's decoder half is not part of it.
        binder.Complete(n => n.StartsWith("up_blocks.", StringComparison.Ordinal) || n.StartsWith("conv_norm_out.", StringComparison.Ordinal) || n.StartsWith("conv_out.", StringComparison.Ordinal));
        return g.Build();
    }

    /// <summary>conv_in SiLU, then per step conv(c→c) SiLU, conv(c→c', stride 2) SiLU, then conv_out with no activation.</summary>
    private static Value ConditioningEmbedding(GraphBuilder g, ControlNetConfig config, Value cond)
    {
        using var _ = g.Scope("controlnet_cond_embedding");
        var channels = config.ConditioningEmbeddingOutChannels;
        var h = g.Silu(g.Conv2d(cond, "conv_in", config.ConditioningChannels, channels[0], 3));
        for (var i = 0; i < channels.Length - 1; i++)
        {
            h = g.Silu(g.Conv2d(h, $"blocks.{2 * i}", channels[i], channels[i], 3));
            h = g.Silu(g.Conv2d(h, $"blocks.{(2 * i) + 1}", channels[i], channels[i + 1], 3, stride: 2));
        }
        return g.Conv2d(h, "conv_out", channels[^1], config.Trunk.BlockOutChannels[0], 3);
    }
}
