using NodeDiffusion.Models.Onnx;

namespace NodeDiffusion.Models.Architectures.Common;

/// <summary>diffusers building blocks shared by the UNet, ControlNet and VAE.</summary>
public static class Blocks
{
    /// <summary>
    /// ResnetBlock2D: GroupNorm → SiLU → conv3×3 (→ + time_emb_proj(SiLU(temb))) → GroupNorm → SiLU → conv3×3, plus the input
    /// (through a 1×1 conv_shortcut when the channel count changes).
    /// </summary>
    public static Value Resnet(this GraphBuilder g, Value x, string module, long inChannels, long outChannels, int groups, float epsilon, Value? timeEmbedding = null, long timeChannels = 0)
    {
        using var _ = g.Scope(module);
        var h = g.Silu(g.GroupNorm(x, "norm1", groups, inChannels, epsilon));
        h = g.Conv2d(h, "conv1", inChannels, outChannels, 3);
        if (timeEmbedding is not null)
        {
            var t = g.Linear(g.Silu(timeEmbedding), "time_emb_proj", timeChannels, outChannels);
            h = g.Add(h, g.Unsqueeze(t, 2, 3));
        }
        h = g.Silu(g.GroupNorm(h, "norm2", groups, outChannels, epsilon));
        h = g.Conv2d(h, "conv2", outChannels, outChannels, 3);
        var shortcut = inChannels != outChannels ? g.Conv2d(x, "conv_shortcut", inChannels, outChannels, 1) : x;
        return g.Add(shortcut, h);
    }

    /// <summary>[B, C, H, W] → [B, H·W, C].</summary>
    public static Value ToTokens(this GraphBuilder g, Value x, long channels) =>
        g.Transpose(g.Reshape(x, 0, channels, -1), 0, 2, 1);

    /// <summary>[B, H·W, C] → the shape of <paramref name="like"/> ([B, C, H, W]).</summary>
    public static Value FromTokens(this GraphBuilder g, Value tokens, Value like) =>
        g.Reshape(g.Transpose(tokens, 0, 2, 1), g.Shape(like), 4);
}
