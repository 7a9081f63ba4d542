using NodeDiffusion.Models.Architectures.Common;

namespace NodeDiffusion.Models.Architectures.Vae;

/// <summary>diffusers AutoencoderKL config (DownEncoderBlock2D / UpDecoderBlock2D, SiLU).</summary>
public sealed record AutoencoderKLConfig(
    int InChannels,
    int OutChannels,
    int LatentChannels,
    int[] BlockOutChannels,
    int LayersPerBlock,
    int NormNumGroups,
    float ScalingFactor)
{
    /// <summary>Every GroupNorm of the VAE uses 1e-6 (the UNet's resnets use 1e-5).</summary>
    public const float NormEpsilon = 1e-6f;

    public static AutoencoderKLConfig Load(string path) => From(ConfigJson.Load(path));

    public static AutoencoderKLConfig From(ConfigJson c)
    {
        var blocks = c.Ints("block_out_channels", [64]);
        foreach (var key in new[] { "down_block_types", "up_block_types" })
        {
            var expected = key.StartsWith("down", StringComparison.Ordinal) ? "DownEncoderBlock2D" : "UpDecoderBlock2D";
            var types = c.Strings(key, Enumerable.Repeat(expected, blocks.Length).ToArray());
            if (types.Length != blocks.Length || types.Any(t => t != expected))
            {
                throw new InvalidDataException($"{c.Source}: {key} must be {blocks.Length}× {expected}, got [{string.Join(", ", types)}]");
            }
        }
        var act = c.String("act_fn", "silu");
        if (act != "silu")
        {
            throw new InvalidDataException($"{c.Source}: act_fn '{act}' is not supported (silu)");
        }
        return new AutoencoderKLConfig(
            c.Int("in_channels", 3), c.Int("out_channels", 3), c.Int("latent_channels", 4), blocks,
            c.Int("layers_per_block", 1), c.Int("norm_num_groups", 32), c.Float("scaling_factor", 0.18215f));
    }
}
