using NodeDiffusion.Models.Architectures.Common;

namespace NodeDiffusion.Models.Architectures.Unet;

/// <summary>
/// diffusers UNet2DConditionModel config, limited to what SD1.x/SD2.x use. Options outside that set are rejected when
/// loading rather than silently ignored.
/// </summary>
public sealed record UNet2DConditionConfig(
    int InChannels,
    int OutChannels,
    int[] BlockOutChannels,
    string[] DownBlockTypes,
    string[] UpBlockTypes,
    int LayersPerBlock,
    int[] NumAttentionHeads,
    int CrossAttentionDim,
    int NormNumGroups,
    float NormEps,
    bool FlipSinToCos,
    float FreqShift,
    bool UseLinearProjection,
    int DownsamplePadding)
{
    /// <summary>The Transformer2DModel GroupNorm uses 1e-6 regardless of norm_eps.</summary>
    public const float TransformerGroupNormEps = 1e-6f;

    public const float LayerNormEps = 1e-5f;

    public int TimeEmbeddingDim => BlockOutChannels[0] * 4;

    public static UNet2DConditionConfig Load(string path) => From(ConfigJson.Load(path));

    public static UNet2DConditionConfig From(ConfigJson c, bool requireUpBlocks = true)
    {
        var blocks = c.Ints("block_out_channels", [320, 640, 1280, 1280]);
        var down = c.Strings("down_block_types", ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"]);
        var up = requireUpBlocks ? c.Strings("up_block_types", ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"]) : [];
        // diffusers: num_attention_heads = num_attention_heads or attention_head_dim (the latter is misnamed: SD1.5's 8 is 8 heads).
        var heads = c.Has("num_attention_heads")
            ? c.IntOrInts("num_attention_heads", blocks.Length)
            : c.IntOrInts("attention_head_dim", blocks.Length, Enumerable.Repeat(8, blocks.Length).ToArray());

        void Require(bool ok, string what)
        {
            if (!ok)
            {
                throw new InvalidDataException($"{c.Source}: unsupported UNet configuration: {what}");
            }
        }

        Require(down.Length == blocks.Length && down.All(t => t is "CrossAttnDownBlock2D" or "DownBlock2D"), $"down_block_types [{string.Join(", ", down)}]");
        Require(!requireUpBlocks || (up.Length == blocks.Length && up.All(t => t is "CrossAttnUpBlock2D" or "UpBlock2D")), $"up_block_types [{string.Join(", ", up)}]");
        Require(heads.Length == blocks.Length, "attention heads per block do not match block_out_channels");
        Require(c.String("mid_block_type", "UNetMidBlock2DCrossAttn") == "UNetMidBlock2DCrossAttn", "mid_block_type");
        Require(c.String("act_fn", "silu") == "silu", "act_fn");
        Require(c.IntOrInts("transformer_layers_per_block", blocks.Length, Enumerable.Repeat(1, blocks.Length).ToArray()).All(n => n == 1), "transformer_layers_per_block other than 1");
        Require(!c.Has("class_embed_type") && !c.Has("addition_embed_type") && !c.Has("encoder_hid_dim_type") && !c.Has("time_cond_proj_dim"), "class/addition/encoder_hid embeddings");
        Require(c.String("time_embedding_type", "positional") == "positional", "time_embedding_type");
        Require(c.String("resnet_time_scale_shift", "default") == "default", "resnet_time_scale_shift");
        Require(!c.Bool("center_input_sample", false) && !c.Bool("dual_cross_attention", false), "center_input_sample / dual_cross_attention");
        Require(c.Int("conv_in_kernel", 3) == 3 && c.Int("conv_out_kernel", 3) == 3, "conv kernels other than 3");
        Require(c.Float("mid_block_scale_factor", 1f) == 1f && c.Float("resnet_out_scale_factor", 1f) == 1f, "output scale factors other than 1");
        Require(!c.Bool("only_cross_attention", false), "only_cross_attention");

        return new UNet2DConditionConfig(
            c.Int("in_channels", 4), c.Int("out_channels", 4), blocks, down, up, c.Int("layers_per_block", 2), heads,
            c.Int("cross_attention_dim", 768), c.Int("norm_num_groups", 32), c.Float("norm_eps", 1e-5f),
            c.Bool("flip_sin_to_cos", true), c.Float("freq_shift", 0f), c.Bool("use_linear_projection", false),
            c.Int("downsample_padding", 1));
    }
}
