namespace NodeDiffusion.Diffusion.Sampling.Schedules;

/// <summary>
/// ComfyUI "beta" (arXiv 2407.12173): timesteps at the Beta(α, β) quantiles of 1 − i/steps, rounded half-to-even; repeated
/// timesteps are dropped, so fewer than steps σ can result.
/// </summary>
public static class BetaSchedule
{
    public static float[] Create(ModelSamplingDiscrete modelSampling, int steps, double alpha = 0.6, double beta = 0.6)
    {
        ArgumentNullException.ThrowIfNull(modelSampling);
        ScheduleArguments.RequireSteps(steps);
        var table = modelSampling.Sigmas;
        var totalTimesteps = table.Length - 1;
        var sigmas = new List<float>(steps + 1);
        var lastT = -1.0;
        for (var i = 0; i < steps; i++)
        {
            var quantile = 1.0 - (double)i / steps;
            var t = Math.Round(BetaDistribution.InverseCdf(quantile, alpha, beta) * totalTimesteps, MidpointRounding.ToEven);
            if (t != lastT)
            {
                sigmas.Add(table[(int)t]);
            }
            lastT = t;
        }
        sigmas.Add(0f);
        return [.. sigmas];
    }
}
