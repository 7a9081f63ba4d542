using NodeDiffusion.Models.Architectures.Common;
using NodeDiffusion.Models.Architectures.Unet;

namespace NodeDiffusion.Models.Architectures.ControlNet;

/// <summary>diffusers ControlNetModel config: the UNet trunk's settings plus the conditioning embedding.</summary>
public sealed record ControlNetConfig(
    UNet2DConditionConfig Trunk,
    int ConditioningChannels,
    int[] ConditioningEmbeddingOutChannels)
{
    public static ControlNetConfig Load(string path) => From(ConfigJson.Load(path));

    public static ControlNetConfig From(ConfigJson c)
    {
        if (c.Bool("global_pool_conditions", false))
        {
            throw new InvalidDataException($"{c.Source}: global_pool_conditions is not supported");
        }
        if (c.String("controlnet_conditioning_channel_order", "rgb") != "rgb")
        {
            throw new InvalidDataException($"{c.Source}: only the rgb conditioning channel order is supported");
        }
        return new ControlNetConfig(
            UNet2DConditionConfig.From(c, requireUpBlocks: false),
            c.Int("conditioning_channels", 3),
            c.Ints("conditioning_embedding_out_channels", [16, 32, 96, 256]));
    }
}
