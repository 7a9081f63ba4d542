using NodeDiffusion.Diffusion.Noise;

namespace NodeDiffusion.Diffusion.Sampling;

/// <summary>
/// k-diffusion's <c>default_noise_sampler</c> on the CPU: one torch generator seeded once, a full <c>torch.randn(x.shape)</c>
/// per call. ComfyUI seeds it with seed + 1 when sampling on the CPU (see <see cref="ForComfySeed"/>); on a GPU ComfyUI uses
/// CUDA's Philox generator, which cannot be reproduced here, so ancestral results match ComfyUI's CPU runs only.
/// </summary>
public sealed class TorchNoiseSampler : INoiseSampler
{
    private readonly TorchCpuGenerator _generator;

    public TorchNoiseSampler(ulong generatorSeed)
    {
        _generator = new TorchCpuGenerator(generatorSeed);
    }

    /// <summary>The generator ComfyUI's ancestral/SDE samplers use on the CPU for a KSampler seed.</summary>
    public static TorchNoiseSampler ForComfySeed(ulong seed) => new(unchecked(seed + 1));

    public void Sample(float sigma, float sigmaNext, Span<float> destination) => _generator.FillStandardNormal(destination);
}
