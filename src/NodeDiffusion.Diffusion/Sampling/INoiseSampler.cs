namespace NodeDiffusion.Diffusion.Sampling;

/// <summary>Source of the fresh Gaussian noise that ancestral and SDE samplers inject between σ and σ_next.</summary>
public interface INoiseSampler
{
    void Sample(float sigma, float sigmaNext, Span<float> destination);
}
