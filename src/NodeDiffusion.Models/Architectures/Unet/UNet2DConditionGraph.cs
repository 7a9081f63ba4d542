using NodeDiffusion.Models.Architectures.Common;
using NodeDiffusion.Models.Onnx;
using NodeDiffusion.Models.Weights;
using Onnx;

namespace NodeDiffusion.Models.Architectures.Unet;

/// <summary>
/// diffusers UNet2DConditionModel (SD1.x/SD2.x): inputs <c>sample</c> [B, C, h, w], <c>timestep</c> float [B] (or [1]),
/// <c>encoder_hidden_states</c> [B, S, cross_attention_dim]; output <c>out_sample</c>. Any latent size works: each upsampler
/// resizes to its matching skip tensor, which is ×2 when h and w are multiples of 8.
/// </summary>
public static class UNet2DConditionGraph
{
    public const string DownResidualFormat = "down_block_{0}_additional_residual";
    public const string MidResidual = "mid_block_additional_residual";

    public static ModelProto Build(UNet2DConditionConfig config, IWeightSource weights, UNetGraphOptions? options = null)
    {
        options ??= new UNetGraphOptions();
        var binder = new WeightBinder(weights);
        var g = new GraphBuilder("unet", binder);
        var sample = g.Input("sample", ElementType.Float, "batch", config.InChannels, "height", "width");
        var timestep = g.Input("timestep", ElementType.Float, "timestep_batch");
        var context = new Conditioning(g.Input("encoder_hidden_states", ElementType.Float, "batch", "sequence", config.CrossAttentionDim));
        if (options.Hypernetworks.Count > 0)
        {
            context = context with { Hypernetworks = new HypernetworkGraph(options.Hypernetworks) };
        }
        if (options.IpAdapter is { } ip)
        {
            context = ip.ProjectedTokens ? IpAdapterLayerScales.Declare(g, config, ip, context, sample) : ImageProjection(g, config, ip, context);
        }

        var temb = UNetBlocks.TimeEmbedding(g, config, timestep);
        var h = g.Conv2d(sample, "conv_in", config.InChannels, config.BlockOutChannels[0], 3);
        var down = UNetBlocks.Down(g, config, h, temb, context);
        var skips = down.Skips.Select(s => s.Value).ToList();
        h = UNetBlocks.Mid(g, config, down.Hidden, temb, context);

        if (options.ControlNetResiduals)
        {
            for (var i = 0; i < skips.Count; i++)
            {
                var residual = g.Input(string.Format(System.Globalization.CultureInfo.InvariantCulture, DownResidualFormat, i), ElementType.Float, "batch", down.Skips[i].Channels, $"residual_{i}_height", $"residual_{i}_width");
                skips[i] = g.Add(skips[i], residual);
            }
            h = g.Add(h, g.Input(MidResidual, ElementType.Float, "batch", config.BlockOutChannels[^1], "mid_height", "mid_width"));
        }

        h = Up(g, config, h, skips, down.Skips.Select(s => s.Channels).ToList(), temb, context);
        h = g.Silu(g.GroupNorm(h, "conv_norm_out", config.NormNumGroups, config.BlockOutChannels[0], config.NormEps));
        h = g.Conv2d(h, "conv_out", config.BlockOutChannels[0], config.OutChannels, 3);
        g.Output(h, "out_sample", "batch", config.OutChannels, "height", "width");
        binder.Complete();
        return g.Build();
    }

    /// <summary>diffusers ImageProjection: Linear(image_embed_dim → tokens·C) → [B, tokens, C] → LayerNorm.</summary>
    private static Conditioning ImageProjection(GraphBuilder g, UNet2DConditionConfig config, IpAdapterOptions ip, Conditioning context)
    {
        var embeds = g.Input("image_embeds", ElementType.Float, "batch", ip.ImageEmbedDim);
        var scale = g.Input("ip_adapter_scale", ElementType.Float, 1);
        var c = config.CrossAttentionDim;
        using var _ = g.Scope("encoder_hid_proj.image_projection_layers.0");
        var tokens = g.Reshape(g.Linear(embeds, "image_embeds", ip.ImageEmbedDim, ip.Tokens * c), 0, ip.Tokens, c);
        return context with { ImageTokens = g.LayerNorm(tokens, "norm", c, 1e-5f), ImageScale = scale, ImageTokenChannels = c };
    }

    private static Value Up(GraphBuilder g, UNet2DConditionConfig config, Value h, List<Value> skips, List<long> skipChannels, Value temb, Conditioning context)
    {
        var reversed = config.BlockOutChannels.Reverse().ToArray();
        var heads = config.NumAttentionHeads.Reverse().ToArray();
        var layers = config.LayersPerBlock + 1;
        long output = reversed[0];
        for (var i = 0; i < reversed.Length; i++)
        {
            var previous = output;
            output = reversed[i];
            using var _ = g.Scope($"up_blocks.{i}");
            for (var j = 0; j < layers; j++)
            {
                var skip = skips[^1];
                var skipCh = skipChannels[^1];
                skips.RemoveAt(skips.Count - 1);
                skipChannels.RemoveAt(skipChannels.Count - 1);
                var inCh = (j == 0 ? previous : output) + skipCh;
                h = g.Resnet(g.Concat(1, h, skip), $"resnets.{j}", inCh, output, config.NormNumGroups, config.NormEps, temb, config.TimeEmbeddingDim);
                if (config.UpBlockTypes[i] == "CrossAttnUpBlock2D")
                {
                    h = UNetBlocks.Transformer(g, config, h, $"attentions.{j}", output, heads[i], context);
                }
            }
            if (i < reversed.Length - 1)
            {
                // Nearest resize to the next skip's size: ×2 for sizes divisible by 8, exact otherwise (diffusers' upsample_size).
                var size = g.Concat(0, g.Shape(h, 0, 2), g.Shape(skips[^1], 2, 4));
                h = g.Conv2d(g.ResizeNearest(h, size), "upsamplers.0.conv", output, output, 3);
            }
        }
        return h;
    }
}
