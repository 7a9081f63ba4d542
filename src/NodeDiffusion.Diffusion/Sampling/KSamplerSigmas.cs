namespace NodeDiffusion.Diffusion.Sampling;

/// <summary>How ComfyUI's KSampler / KSamplerAdvanced turn (scheduler, steps, denoise, start/end step) into the σ list a sampler runs.</summary>
public static class KSamplerSigmas
{
    /// <summary>
    /// <c>KSampler.set_steps</c>: the full schedule, or for denoise &lt; 1 the last steps+1 σ of a schedule computed for
    /// ⌊steps/denoise⌋ steps; samplers that discard the penultimate σ get one extra step first. denoise ≤ 0 gives no σ.
    /// </summary>
    public static float[] Calculate(ModelSamplingDiscrete modelSampling, string scheduler, string sampler, int steps, double denoise = 1.0)
    {
        ArgumentNullException.ThrowIfNull(modelSampling);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (!SamplerRegistry.Names.Contains(sampler))
        {
            throw SamplerRegistry.UnknownSampler(sampler);
        }
        if (denoise > 0.9999)
        {
            return CalculateFull(modelSampling, scheduler, sampler, steps);
        }
        if (denoise <= 0.0)
        {
            return [];
        }
        var full = CalculateFull(modelSampling, scheduler, sampler, (int)(steps / denoise));
        return full.Length > steps + 1 ? full[^(steps + 1)..] : full;
    }

    /// <summary>
    /// <c>KSampler.sample</c>'s slicing for KSamplerAdvanced: keep σ[..lastStep] (forcing the final σ to 0 when
    /// <paramref name="forceFullDenoise"/>, i.e. return_with_leftover_noise disabled) and then σ[startStep..].
    /// Returns null when startStep leaves nothing to run (ComfyUI then returns the input latent unchanged).
    /// </summary>
    public static float[]? Slice(ReadOnlySpan<float> sigmas, int? startStep, int? lastStep, bool forceFullDenoise)
    {
        var result = sigmas.ToArray();
        if (lastStep is { } last && last < result.Length - 1)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(last, nameof(lastStep));
            result = result[..(last + 1)];
            if (forceFullDenoise)
            {
                result[^1] = 0f;
            }
        }
        if (startStep is { } start)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(start, nameof(startStep));
            if (start >= result.Length - 1)
            {
                return null;
            }
            result = result[start..];
        }
        return result;
    }

    private static float[] CalculateFull(ModelSamplingDiscrete modelSampling, string scheduler, string sampler, int steps)
    {
        var discardPenultimate = SamplerRegistry.DiscardsPenultimateSigma(sampler);
        var sigmas = SigmaSchedulers.Calculate(modelSampling, scheduler, discardPenultimate ? steps + 1 : steps);
        if (discardPenultimate && sigmas.Length >= 2)
        {
            sigmas = [.. sigmas[..^2], sigmas[^1]];
        }
        return sigmas;
    }
}
