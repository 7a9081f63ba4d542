namespace NodeDiffusion.Diffusion.Sampling.Schedules;

/// <summary>ComfyUI "kl_optimal" (AUTOMATIC1111 PR 15608): σ = tan of a linear blend of atan(σ_max) and atan(σ_min), then 0.</summary>
public static class KlOptimalSchedule
{
    public static float[] Create(int steps, double sigmaMin, double sigmaMax)
    {
        ScheduleArguments.RequireSteps(steps);
        var sigmas = new float[steps + 1];
        var atanMin = (float)Math.Atan(sigmaMin);
        var atanMax = (float)Math.Atan(sigmaMax);
        for (var i = 0; i < steps; i++)
        {
            // One step would divide 0 by 0 in ComfyUI (NaN); start at σ_max instead.
            var w = steps == 1 ? 0f : (float)i / (steps - 1);
            sigmas[i] = MathF.Tan(w * atanMin + (1f - w) * atanMax);
        }
        return sigmas;
    }
}
