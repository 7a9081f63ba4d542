namespace NodeDiffusion.Diffusion.Sampling;

/// <summary>
/// ComfyUI's <c>KSamplerX0Inpaint</c>: where the denoise mask is 0 the model sees the original latent noised to the current σ
/// (latent + noise·σ) and its prediction is replaced by the original latent, so only the masked (1) region is regenerated.
/// </summary>
public static class InpaintDenoiser
{
    /// <param name="inner">The (guided) model.</param>
    /// <param name="mask">Per-value weights in [0, 1], already resized and broadcast to the latent's B·C·H·W layout.</param>
    /// <param name="latent">The original latent in model scale (after the latent scale factor).</param>
    /// <param name="noise">The unit noise to re-noise it with (ComfyUI: the starting noise, or seed + 1 noise for "ddim").</param>
    public static DenoiseFunction Create(DenoiseFunction inner, ReadOnlyMemory<float> mask, ReadOnlyMemory<float> latent, ReadOnlyMemory<float> noise)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (mask.Length != latent.Length || noise.Length != latent.Length)
        {
            throw new ArgumentException(
                $"mask ({mask.Length}), latent ({latent.Length}) and noise ({noise.Length}) must have the same number of values.", nameof(mask));
        }
        var blended = new float[latent.Length];
        return (x, sigma, denoised) =>
        {
            var m = mask.Span;
            var original = latent.Span;
            var unit = noise.Span;
            for (var i = 0; i < blended.Length; i++)
            {
                blended[i] = x[i] * m[i] + (original[i] + unit[i] * sigma) * (1f - m[i]);
            }
            inner(blended, sigma, denoised);
            for (var i = 0; i < blended.Length; i++)
            {
                denoised[i] = denoised[i] * m[i] + original[i] * (1f - m[i]);
            }
        };
    }
}
