using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Architectures.Common;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Weights;

namespace NodeDiffusion.Cli.Commands;

/// <summary>
/// The diffusers parameter names and shapes of SD1.5's UNet and CLIP text encoder, listed by our graph builders from the
/// published runwayml/stable-diffusion-v1-5 configs (built in, so inspecting needs no checkpoint on disk).
/// </summary>
internal static class Sd15Parameters
{
    public const int TextHiddenSize = 768;

    private const string UnetConfig = """
        {"act_fn": "silu", "attention_head_dim": 8, "block_out_channels": [320, 640, 1280, 1280], "center_input_sample": false,
         "cross_attention_dim": 768, "down_block_types": ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
         "downsample_padding": 1, "flip_sin_to_cos": true, "freq_shift": 0, "in_channels": 4, "layers_per_block": 2, "mid_block_scale_factor": 1,
         "norm_eps": 1e-05, "norm_num_groups": 32, "out_channels": 4, "sample_size": 64,
         "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"]}
        """;

    private const string TextConfig = """
        {"bos_token_id": 0, "eos_token_id": 2, "hidden_act": "quick_gelu", "hidden_size": 768, "intermediate_size": 3072,
         "layer_norm_eps": 1e-05, "max_position_embeddings": 77, "num_attention_heads": 12, "num_hidden_layers": 12,
         "pad_token_id": 1, "projection_dim": 768, "vocab_size": 49408}
        """;

    private static readonly Lazy<IReadOnlyDictionary<string, long[]>> UnetShapes = new(() =>
    {
        var manifest = new WeightManifest();
        UNet2DConditionGraph.Build(UnetConfiguration, manifest);
        return manifest.Expected.ToDictionary(e => e.Name, e => e.Shape);
    });

    private static readonly Lazy<IReadOnlyDictionary<string, long[]>> TextShapes = new(() =>
    {
        var manifest = new WeightManifest();
        ClipTextGraph.Build(TextConfiguration, manifest);
        return manifest.Expected.ToDictionary(e => e.Name, e => e.Shape);
    });

    public static UNet2DConditionConfig UnetConfiguration => UNet2DConditionConfig.From(ConfigJson.Parse(UnetConfig, "SD1.5 unet/config.json"));

    public static ClipTextConfig TextConfiguration => ClipTextConfig.From(ConfigJson.Parse(TextConfig, "SD1.5 text_encoder/config.json"));

    public static IReadOnlyDictionary<string, long[]> Unet => UnetShapes.Value;

    public static IReadOnlyDictionary<string, long[]> TextEncoder => TextShapes.Value;
}
