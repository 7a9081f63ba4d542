using NodeDiffusion.Models.Architectures.Common;
using NodeDiffusion.Models.Onnx;
using NodeDiffusion.Models.Weights;

namespace NodeDiffusion.Models.Architectures.Unet;

/// <summary>
/// Per-layer IP-Adapter inputs, each [L] with L = the UNet's cross-attention layers in diffusers' processor order (down,
/// up, mid; layer i = original id 2i+1). Each attn2 adds
/// <c>Out[i] · Attn(q, K[i]·k_ip, V[i]·v_ip + VMean[i]·mean_tokens(v_ip))</c>, which expresses every IPAdapter_plus
/// embeds_scaling ('V only': K=V=1, VMean=0, Out=w; 'K+V': K=V=w, Out=1; 'K+mean(V)': K=w, V=1, VMean=w−1, Out=1).
/// </summary>
public sealed record IpAdapterLayerScales(IReadOnlyList<string> LayerPaths, Value Out, Value K, Value V, Value VMean)
{
    public const string TokensInput = "ip_tokens";
    public const string OutScaleInput = "ip_adapter_scale";
    public const string KScaleInput = "ip_adapter_k_scale";
    public const string VScaleInput = "ip_adapter_v_scale";
    public const string VMeanScaleInput = "ip_adapter_v_mean_scale";

    /// <summary>The cross-attention module paths, index = layer.</summary>
    public static IReadOnlyList<string> CrossAttentionPaths(UNet2DConditionConfig config) =>
        IpAdapterKeyMap.AttentionProcessorPaths(config).Where(p => p.EndsWith(".attn2", StringComparison.Ordinal)).ToList();

    public static Conditioning Declare(GraphBuilder g, UNet2DConditionConfig config, IpAdapterOptions ip, Conditioning context)
    {
        var paths = CrossAttentionPaths(config);
        var tokens = g.Input(TokensInput, ElementType.Float, "batch", "ip_token_count", ip.ImageEmbedDim);
        Value Scale(string name) => g.Input(name, ElementType.Float, paths.Count);
        var scales = new IpAdapterLayerScales(paths, Scale(OutScaleInput), Scale(KScaleInput), Scale(VScaleInput), Scale(VMeanScaleInput));
        return context with { ImageTokens = tokens, ImageTokenChannels = ip.ImageEmbedDim, LayerScales = scales };
    }

    /// <summary>The image branch of the attn2 module the builder is in.</summary>
    public Value Apply(GraphBuilder g, Value q, Value kIp, Value vIp, int heads, long headDim)
    {
        var path = g.CurrentScope;
        var index = LayerPaths.ToList().IndexOf(path);
        if (index < 0)
        {
            throw new InvalidOperationException($"{path} is not a cross-attention layer of this UNet.");
        }
        Value At(Value scales) => g.Slice(scales, [index], [index + 1], [0]);
        var k = g.Mul(kIp, At(K));
        var mean = g.Node("ReduceMean", [vIp], attributes: [("axes", new long[] { 1 }), ("keepdims", 1)]);
        var v = g.Add(g.Mul(vIp, At(V)), g.Mul(mean, At(VMean)));
        return g.Mul(g.Attention(q, k, v, heads, headDim), At(Out));
    }
}
