namespace NodeDiffusion.Diffusion.Sampling;

/// <summary>Everything one sampler run needs besides the latent it updates in place.</summary>
public sealed class SamplingContext
{
    public required DenoiseFunction Denoise { get; init; }

    /// <summary>The σ schedule, descending; the run makes Sigmas.Length − 1 steps.</summary>
    public required ReadOnlyMemory<float> Sigmas { get; init; }

    /// <summary>Noise for ancestral/SDE samplers; required by those, ignored by the deterministic ones.</summary>
    public INoiseSampler? Noise { get; init; }

    public SamplerStepCallback? Callback { get; init; }

    public CancellationToken CancellationToken { get; init; }
}
