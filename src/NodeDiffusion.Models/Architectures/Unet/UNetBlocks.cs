using NodeDiffusion.Models.Architectures.Common;
using NodeDiffusion.Models.Onnx;

namespace NodeDiffusion.Models.Architectures.Unet;

/// <summary>The parts of UNet2DConditionModel, shared with ControlNetModel (which copies conv_in, time embedding, down and mid).</summary>
public static class UNetBlocks
{
    /// <summary>Sinusoidal embedding (get_timestep_embedding) → time_embedding.linear_1 → SiLU → linear_2.</summary>
    public static Value TimeEmbedding(GraphBuilder g, UNet2DConditionConfig config, Value timestep)
    {
        var dim = config.BlockOutChannels[0];
        var half = dim / 2;
        // As torch computes it, in float32: exp(-ln(10000) · i / (half − freq_shift)).
        var frequencies = new float[half];
        var logPeriod = (float)-Math.Log(10000);
        for (var i = 0; i < half; i++)
        {
            frequencies[i] = MathF.Exp(logPeriod * i / (half - config.FreqShift));
        }
        var args = g.Mul(g.Unsqueeze(timestep, 1), g.Floats([1, half], frequencies));
        var sin = g.Sin(args);
        var cos = g.Cos(args);
        var embedding = config.FlipSinToCos ? g.Concat(1, cos, sin) : g.Concat(1, sin, cos);
        using var _ = g.Scope("time_embedding");
        var h = g.Linear(embedding, "linear_1", dim, config.TimeEmbeddingDim);
        return g.Linear(g.Silu(h), "linear_2", config.TimeEmbeddingDim, config.TimeEmbeddingDim);
    }

    /// <summary>Output of the down path: every skip tensor (conv_in, each resnet/attention, each downsampler) and the last one.</summary>
    public sealed record DownPath(List<(Value Value, long Channels)> Skips, Value Hidden);

    public static DownPath Down(GraphBuilder g, UNet2DConditionConfig config, Value h, Value temb, Conditioning context)
    {
        var skips = new List<(Value, long)> { (h, config.BlockOutChannels[0]) };
        long output = config.BlockOutChannels[0];
        for (var i = 0; i < config.BlockOutChannels.Length; i++)
        {
            var input = output;
            output = config.BlockOutChannels[i];
            using var _ = g.Scope($"down_blocks.{i}");
            for (var j = 0; j < config.LayersPerBlock; j++)
            {
                h = g.Resnet(h, $"resnets.{j}", j == 0 ? input : output, output, config.NormNumGroups, config.NormEps, temb, config.TimeEmbeddingDim);
                if (config.DownBlockTypes[i] == "CrossAttnDownBlock2D")
                {
                    h = Transformer(g, config, h, $"attentions.{j}", output, config.NumAttentionHeads[i], context);
                }
                skips.Add((h, output));
            }
            if (i < config.BlockOutChannels.Length - 1)
            {
                h = g.Conv2d(h, "downsamplers.0.conv", output, output, 3, stride: 2, padding: config.DownsamplePadding);
                skips.Add((h, output));
            }
        }
        return new DownPath(skips, h);
    }

    /// <summary>UNetMidBlock2DCrossAttn: resnet → transformer → resnet.</summary>
    public static Value Mid(GraphBuilder g, UNet2DConditionConfig config, Value h, Value temb, Conditioning context)
    {
        var channels = config.BlockOutChannels[^1];
        using var _ = g.Scope("mid_block");
        h = g.Resnet(h, "resnets.0", channels, channels, config.NormNumGroups, config.NormEps, temb, config.TimeEmbeddingDim);
        h = Transformer(g, config, h, "attentions.0", channels, config.NumAttentionHeads[^1], context);
        return g.Resnet(h, "resnets.1", channels, channels, config.NormNumGroups, config.NormEps, temb, config.TimeEmbeddingDim);
    }

    /// <summary>
    /// Transformer2DModel with one BasicTransformerBlock: GroupNorm(eps 1e-6) → proj_in (1×1 conv, or Linear for SD2) →
    /// self-attention, cross-attention, GEGLU feed-forward (each pre-LayerNorm with a residual) → proj_out → + input.
    /// </summary>
    public static Value Transformer(GraphBuilder g, UNet2DConditionConfig config, Value x, string module, long channels, int heads, Conditioning context)
    {
        using var _ = g.Scope(module);
        var headDim = channels / heads;
        var h = g.GroupNorm(x, "norm", config.NormNumGroups, channels, UNet2DConditionConfig.TransformerGroupNormEps);
        Value tokens = config.UseLinearProjection
            ? g.Linear(g.ToTokens(h, channels), "proj_in", channels, channels)
            : g.ToTokens(g.Conv2d(h, "proj_in", channels, channels, 1), channels);

        using (g.Scope("transformer_blocks.0"))
        {
            var n = g.LayerNorm(tokens, "norm1", channels, UNet2DConditionConfig.LayerNormEps);
            tokens = g.Add(SelfOrCrossAttention(g, n, n, "attn1", channels, channels, heads, headDim, null, context.Hypernetworks), tokens);
            n = g.LayerNorm(tokens, "norm2", channels, UNet2DConditionConfig.LayerNormEps);
            tokens = g.Add(SelfOrCrossAttention(g, n, context.Text, "attn2", config.CrossAttentionDim, channels, heads, headDim, context, context.Hypernetworks), tokens);
            n = g.LayerNorm(tokens, "norm3", channels, UNet2DConditionConfig.LayerNormEps);
            tokens = g.Add(FeedForward(g, n, channels), tokens);
        }

        var output = config.UseLinearProjection
            ? g.FromTokens(g.Linear(tokens, "proj_out", channels, channels), x)
            : g.Conv2d(g.FromTokens(tokens, x), "proj_out", channels, channels, 1);
        return g.Add(output, x);
    }

    /// <summary>
    /// attn1/attn2. With IP-Adapter image tokens (attn2 only) the decoupled cross-attention of IPAdapterAttnProcessor is added
    /// before to_out: Attn(q, text) + scale · Attn(q, to_k_ip(image), to_v_ip(image)).
    /// </summary>
    private static Value SelfOrCrossAttention(GraphBuilder g, Value x, Value context, string module, long contextChannels, long channels, int heads, long headDim, Conditioning? image, HypernetworkGraph? hypernetworks = null)
    {
        using var _ = g.Scope(module);
        var q = g.Linear(x, "to_q", channels, channels, bias: false);
        var (kInput, vInput) = hypernetworks?.Apply(g, context, contextChannels) ?? (context, context);
        var k = g.Linear(kInput, "to_k", contextChannels, channels, bias: false);
        var v = g.Linear(vInput, "to_v", contextChannels, channels, bias: false);
        var attended = g.Attention(q, k, v, heads, headDim);
        if (image?.ImageTokens is { } tokens)
        {
            var kIp = g.Linear(tokens, "processor.to_k_ip.0", image.ImageTokenChannels, channels, bias: false);
            var vIp = g.Linear(tokens, "processor.to_v_ip.0", image.ImageTokenChannels, channels, bias: false);
            attended = image.LayerScales is { } layerScales
                ? g.Add(attended, layerScales.Apply(g, q, kIp, vIp, heads, headDim))
                : g.Add(attended, g.Mul(g.Attention(q, kIp, vIp, heads, headDim), image.ImageScale!));
        }
        return g.Linear(attended, "to_out.0", channels, channels);
    }

    /// <summary>GEGLU: proj → (value, gate) halves → value · GELU_erf(gate) → net.2.</summary>
    private static Value FeedForward(GraphBuilder g, Value x, long channels)
    {
        using var _ = g.Scope("ff");
        var inner = 4 * channels;
        var projected = g.Linear(x, "net.0.proj", channels, 2 * inner);
        var value = g.Slice(projected, [0], [inner], [-1]);
        var gate = g.Slice(projected, [inner], [2 * inner], [-1]);
        return g.Linear(g.Mul(value, g.GeluErf(gate)), "net.2", inner, channels);
    }
}
