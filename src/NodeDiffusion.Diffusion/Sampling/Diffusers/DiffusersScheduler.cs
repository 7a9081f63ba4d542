namespace NodeDiffusion.Diffusion.Sampling.Diffusers;

/// <summary>
/// A diffusers-style scheduler (v0.27 semantics): a fixed list of model timesteps, the initial noise scale, per-step input
/// scaling and a <see cref="Step"/> that advances the sample in place from an ε prediction. Used where a workflow must
/// reproduce a diffusers pipeline step for step; ComfyUI-style sampling uses <see cref="KDiffusionSampler"/>.
/// </summary>
public abstract class DiffusersScheduler
{
    protected DiffusersScheduler(DiffusersNoiseSchedule schedule)
    {
        Schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
    }

    public DiffusersNoiseSchedule Schedule { get; }

    /// <summary>The timesteps the model is called with, in order (fractional for Euler-family linspace/Karras spacing).</summary>
    public abstract IReadOnlyList<double> Timesteps { get; }

    /// <summary>The noise scale of the starting latent: latents = randn · InitNoiseSigma.</summary>
    public abstract double InitNoiseSigma { get; }

    /// <summary>The model input for step <paramref name="index"/>; identity unless the scheduler works in σ-scaled space.</summary>
    public virtual void ScaleModelInput(ReadOnlySpan<float> sample, int index, Span<float> destination) => sample.CopyTo(destination);

    /// <summary>Advances <paramref name="sample"/> by one step given the model's ε prediction at step <paramref name="index"/>.</summary>
    public abstract void Step(ReadOnlySpan<float> modelOutput, int index, Span<float> sample);

    protected static void CheckLengths(ReadOnlySpan<float> modelOutput, Span<float> sample)
    {
        if (modelOutput.Length != sample.Length)
        {
            throw new ArgumentException($"model output has {modelOutput.Length} values but the sample has {sample.Length}.", nameof(modelOutput));
        }
    }
}
