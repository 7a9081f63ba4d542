namespace NodeDiffusion.Models.Architectures.Unet;

/// <summary>
/// A (non-Plus) IP-Adapter compiled into the UNet: inputs <c>image_embeds</c> [B, ImageEmbedDim] (CLIP vision image_embeds;
/// zeros for the unconditional half under CFG) and <c>ip_adapter_scale</c> [1]. Weights use diffusers names
/// (<c>encoder_hid_proj.image_projection_layers.0.*</c>, <c>…attn2.processor.to_k_ip.0.weight</c>).
/// </summary>
public sealed record IpAdapterOptions(int ImageEmbedDim, int Tokens = 4)
{
    /// <summary>
    /// Takes the adapter's already projected tokens instead: <c>ip_tokens</c> [B, N, ImageEmbedDim] (N free, so several
    /// images' tokens can be concatenated) and per-cross-attention-layer scales (see <see cref="IpAdapterLayerScales"/>),
    /// so weight, weight type, embeds scaling and start/end change inputs, not the compiled model.
    /// </summary>
    public bool ProjectedTokens { get; init; }

    /// <summary>
    /// With <see cref="ProjectedTokens"/>: adds input <c>ip_attn_mask</c> [B, 1, h, w] (any size, values in [0, 1]); each
    /// layer's image attention is multiplied per position by the mask resized bilinearly to its token grid.
    /// </summary>
    public bool AttentionMask { get; init; }
}
