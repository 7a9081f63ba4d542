namespace NodeDiffusion.Diffusion.Sampling;

/// <summary>
/// What a sampler reports after each model evaluation of a step (ComfyUI's callback dict): step index, the σ of the step,
/// the latent going into the step and the model's denoised prediction for it. The spans are only valid during the callback.
/// </summary>
public readonly ref struct SamplerStep
{
    public SamplerStep(int index, int totalSteps, float sigma, ReadOnlySpan<float> x, ReadOnlySpan<float> denoised)
    {
        Index = index;
        TotalSteps = totalSteps;
        Sigma = sigma;
        X = x;
        Denoised = denoised;
    }

    public int Index { get; }

    public int TotalSteps { get; }

    public float Sigma { get; }

    public ReadOnlySpan<float> X { get; }

    public ReadOnlySpan<float> Denoised { get; }
}

/// <summary>Receives progress and preview data once per sampler step.</summary>
public delegate void SamplerStepCallback(in SamplerStep step);
