using NodeDiffusion.Diffusion.Sampling.Schedules;

namespace NodeDiffusion.Diffusion.Sampling;

/// <summary>ComfyUI's scheduler names (comfy/samplers.py <c>SCHEDULER_HANDLERS</c>, in its order) and their σ schedules.</summary>
public static class SigmaSchedulers
{
    public const string Simple = "simple";
    public const string SgmUniform = "sgm_uniform";
    public const string Karras = "karras";
    public const string Exponential = "exponential";
    public const string DdimUniform = "ddim_uniform";
    public const string Beta = "beta";
    public const string Normal = "normal";
    public const string LinearQuadratic = "linear_quadratic";
    public const string KlOptimal = "kl_optimal";

    /// <summary>All scheduler names; the first is ComfyUI's fallback.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [Simple, SgmUniform, Karras, Exponential, DdimUniform, Beta, Normal, LinearQuadratic, KlOptimal];

    /// <summary>The σ schedule for <paramref name="steps"/> steps, descending and ending in 0 (<c>calculate_sigmas</c>).</summary>
    public static float[] Calculate(ModelSamplingDiscrete modelSampling, string scheduler, int steps)
    {
        ArgumentNullException.ThrowIfNull(modelSampling);
        double sigmaMin = modelSampling.SigmaMin;
        double sigmaMax = modelSampling.SigmaMax;
        return scheduler switch
        {
            Simple => SimpleSchedule.Create(modelSampling, steps),
            SgmUniform => NormalSchedule.Create(modelSampling, steps, sgm: true),
            Karras => KarrasSchedule.Create(steps, sigmaMin, sigmaMax),
            Exponential => ExponentialSchedule.Create(steps, sigmaMin, sigmaMax),
            DdimUniform => DdimUniformSchedule.Create(modelSampling, steps),
            Beta => BetaSchedule.Create(modelSampling, steps),
            Normal => NormalSchedule.Create(modelSampling, steps),
            LinearQuadratic => LinearQuadraticSchedule.Create(modelSampling, steps),
            KlOptimal => KlOptimalSchedule.Create(steps, sigmaMin, sigmaMax),
            _ => throw new ArgumentException(
                $"Unknown scheduler '{scheduler}'. Valid schedulers: {string.Join(", ", Names)}.", nameof(scheduler)),
        };
    }
}
