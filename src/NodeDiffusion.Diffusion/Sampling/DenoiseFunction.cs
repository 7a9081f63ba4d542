namespace NodeDiffusion.Diffusion.Sampling;

/// <summary>
/// The model as a sampler sees it (ComfyUI's CFG-wrapped <c>model(x, sigma)</c>): writes the denoised prediction D(x, σ) for
/// the noisy latent <paramref name="x"/> (VE scaling, i.e. x = x₀ + σ·ε) into <paramref name="denoised"/>. Both spans hold the
/// whole batch; σ is the same for every batch item.
/// </summary>
public delegate void DenoiseFunction(ReadOnlySpan<float> x, float sigma, Span<float> denoised);
