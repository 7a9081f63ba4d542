using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Architectures.Vae;

namespace NodeDiffusion.Models.Checkpoints.SingleFile;

/// <summary>The diffusers configs of Stable Diffusion 1.5 (runwayml/stable-diffusion-v1-5), the SD1.x standard.</summary>
public static class Sd15Configs
{
    public static ClipTextConfig TextEncoder { get; } = new(
        VocabSize: 49408, HiddenSize: 768, IntermediateSize: 3072, NumHiddenLayers: 12, NumAttentionHeads: 12,
        MaxPositionEmbeddings: 77, HiddenAct: "quick_gelu", LayerNormEps: 1e-5f, EosTokenId: 2);

    public static UNet2DConditionConfig Unet { get; } = new(
        InChannels: 4, OutChannels: 4, BlockOutChannels: [320, 640, 1280, 1280],
        DownBlockTypes: ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
        UpBlockTypes: ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"],
        LayersPerBlock: 2, NumAttentionHeads: [8, 8, 8, 8], CrossAttentionDim: 768, NormNumGroups: 32, NormEps: 1e-5f,
        FlipSinToCos: true, FreqShift: 0f, UseLinearProjection: false, DownsamplePadding: 1);

    public static AutoencoderKLConfig Vae { get; } = new(
        InChannels: 3, OutChannels: 3, LatentChannels: 4, BlockOutChannels: [128, 256, 512, 512], LayersPerBlock: 2,
        NormNumGroups: 32, ScalingFactor: 0.18215f);
}
