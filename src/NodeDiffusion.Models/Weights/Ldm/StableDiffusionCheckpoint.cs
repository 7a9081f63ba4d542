using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Architectures.Vae;

namespace NodeDiffusion.Models.Weights.Ldm;

/// <summary>
/// The components of an original single-file SD1.x checkpoint (<c>model.diffusion_model.*</c>, <c>first_stage_model.*</c>,
/// <c>cond_stage_model.transformer.*</c>) as weight sources with diffusers/transformers names.
/// </summary>
public static class StableDiffusionCheckpoint
{
    public static bool IsLdmLayout(IWeightSource source) =>
        source.Names.Any(n => n.StartsWith(LdmKeyMap.UnetPrefix, StringComparison.Ordinal));

    public static IWeightSource Unet(IWeightSource checkpoint, UNet2DConditionConfig config) =>
        new RenamedWeightSource(checkpoint, k => LdmKeyMap.Unet(k, config), description: checkpoint.Description + " [unet]");

    public static IWeightSource Vae(IWeightSource checkpoint, AutoencoderKLConfig config) =>
        new RenamedWeightSource(checkpoint, k => LdmKeyMap.Vae(k, config), LdmKeyMap.IsVaeAttentionProjection, checkpoint.Description + " [vae]");

    public static IWeightSource TextEncoder(IWeightSource checkpoint) =>
        new RenamedWeightSource(checkpoint, LdmKeyMap.TextEncoder, description: checkpoint.Description + " [text encoder]");
}
