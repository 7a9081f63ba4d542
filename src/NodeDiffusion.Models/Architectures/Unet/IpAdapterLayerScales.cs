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
    public const string MaskInput = "ip_attn_mask";

    /// <summary>The optional mask [B, 1, h, w] and the latent's [height, width] (int64), to size it per layer.</summary>
    public (Value Mask, Value LatentSize)? Mask { get; init; }

    public const string TokensInput = "ip_tokens";
    public const string OutScaleInput = "ip_adapter_scale";
    public const string KScaleInput = "ip_adapter_k_scale";
    public const string VScaleInput = "ip_adapter_v_scale";
    public const string VMeanScaleInput = "ip_adapter_v_mean_scale";

    /// <summary>The cross-attention module paths, index = layer.</summary>
    public static IReadOnlyList<string> CrossAttentionPaths(UNet2DConditionConfig config) =>
        IpAdapterKeyMap.AttentionProcessorPaths(config).Where(p => p.EndsWith(".attn2", StringComparison.Ordinal)).ToList();

    public static Conditioning Declare(GraphBuilder g, UNet2DConditionConfig config, IpAdapterOptions ip, Conditioning context, Value sample)
    {
        var paths = CrossAttentionPaths(config);
        var tokens = g.Input(TokensInput, ElementType.Float, "batch", "ip_token_count", ip.ImageEmbedDim);
        Value Scale(string name) => g.Input(name, ElementType.Float, paths.Count);
        var scales = new IpAdapterLayerScales(paths, Scale(OutScaleInput), Scale(KScaleInput), Scale(VScaleInput), Scale(VMeanScaleInput))
        {
            Levels = config.BlockOutChannels.Length,
            Mask = ip.AttentionMask ? (g.Input(MaskInput, ElementType.Float, "batch", 1, "mask_height", "mask_width"), g.Shape(sample, 2, 4)) : null,
        };
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
        var image = g.Mul(g.Attention(q, k, v, heads, headDim), At(Out));
        return Mask is { } mask ? g.Mul(image, MaskAt(g, mask.Mask, mask.LatentSize, Level(path))) : image;
    }

    /// <summary>
    /// The mask resized (bilinear, half-pixel: torch's interpolate without antialias) to the token grid of a layer
    /// <paramref name="level"/> downsamplings below the latent (each one ceil(n/2)), as [B, tokens, 1].
    /// </summary>
    private static Value MaskAt(GraphBuilder g, Value mask, Value latentSize, int level)
    {
        var size = latentSize;
        for (var i = 0; i < level; i++)
        {
            size = g.Div(g.Add(size, g.Ints(1)), g.Ints(2));
        }
        var sizes = g.Concat(0, g.Shape(mask, 0, 2), size);
        var resized = g.Node("Resize", [mask, null!, null!, sizes], attributes:
        [
            ("mode", "linear"), ("coordinate_transformation_mode", "half_pixel"),
        ]);
        return g.Reshape(resized, g.Concat(0, g.Shape(mask, 0, 1), g.Ints(-1, 1)), rank: 3);
    }

    /// <summary>How many downsamplers lie between the latent and a cross-attention layer.</summary>
    private int Level(string path)
    {
        var parts = path.Split('.');
        return parts[0] switch
        {
            "down_blocks" => int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture),
            "up_blocks" => Levels - 1 - int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture),
            _ => Levels - 1,
        };
    }

    /// <summary>The UNet's number of resolution levels (down blocks), to place the up-block and mid-block layers.</summary>
    public int Levels { get; init; }
}
