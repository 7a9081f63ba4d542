namespace NodeDiffusion.Diffusion.Sampling;

/// <summary>
/// A k-diffusion style sampler (ComfyUI semantics): integrates the latent <c>x</c> in place along a σ schedule, calling the
/// denoiser once or more per step. Working buffers are allocated once per run; the step loops allocate nothing.
/// Scalar coefficients are computed in float64 from the float32 σ values; tensor arithmetic is float32.
/// </summary>
public abstract class KDiffusionSampler
{
    /// <summary>The ComfyUI sampler_name.</summary>
    public abstract string Name { get; }

    /// <summary>Whether the run draws from <see cref="SamplingContext.Noise"/>.</summary>
    public virtual bool UsesNoise => false;

    public void Sample(Span<float> x, SamplingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (UsesNoise && context.Noise is null)
        {
            throw new ArgumentException($"Sampler '{Name}' injects noise and needs SamplingContext.Noise.", nameof(context));
        }
        if (context.Sigmas.Length <= 1)
        {
            return;
        }
        Run(new SamplerRun(x, context));
    }

    protected abstract void Run(SamplerRun run);
}
