using NodeDiffusion.Models.Weights;

namespace NodeDiffusion.Models.Architectures.Taesd;

/// <summary>
/// madebyollin/taesd Encoder/Decoder settings: latent channels (SD1/SD2 4, FLUX.1/SD3 16, FLUX.2 32) and whether the
/// deepest blocks carry the FLUX.2 mid-block GroupNorm branch. Checkpoints don't store a config; it is read off the weights.
/// </summary>
public sealed record TaesdConfig(int LatentChannels, bool MidBlockGroupNorm)
{
    public const int Channels = 64;

    public static TaesdConfig FromEncoderWeights(IWeightSource weights) =>
        new(Channel(weights, "14.weight", 0), weights.Contains("11.pool.0.weight"));

    public static TaesdConfig FromDecoderWeights(IWeightSource weights) =>
        new(Channel(weights, "1.weight", 1), weights.Contains("3.pool.0.weight"));

    private static int Channel(IWeightSource weights, string name, int axis)
    {
        if (!weights.Contains(name))
        {
            throw new WeightBindingException($"{weights.Description} is not a TAESD checkpoint: weight '{name}' is missing");
        }
        return checked((int)weights.GetShape(name)[axis]);
    }
}
