namespace NodeDiffusion.Diffusion.Sampling.Schedules;

/// <summary>
/// ComfyUI "normal" and "sgm_uniform": timesteps evenly spaced from timestep(σ_max) to timestep(σ_min), σ by log-linear
/// interpolation of the table. "normal" includes the last timestep; sgm_uniform spaces steps+1 points and drops the last.
/// </summary>
public static class NormalSchedule
{
    public static float[] Create(ModelSamplingDiscrete modelSampling, int steps, bool sgm = false)
    {
        ArgumentNullException.ThrowIfNull(modelSampling);
        ScheduleArguments.RequireSteps(steps);
        float start = modelSampling.Timestep(modelSampling.SigmaMax);
        float end = modelSampling.Timestep(modelSampling.SigmaMin);
        var appendZero = true;
        float[] timesteps;
        if (sgm)
        {
            timesteps = TorchMath.LinspaceFloat(start, end, steps + 1)[..^1];
        }
        else
        {
            if (Math.Abs(modelSampling.Sigma(end)) <= 1e-5)
            {
                steps += 1;
                appendZero = false;
            }
            timesteps = TorchMath.LinspaceFloat(start, end, steps);
        }
        var sigmas = new float[timesteps.Length + (appendZero ? 1 : 0)];
        for (var i = 0; i < timesteps.Length; i++)
        {
            sigmas[i] = modelSampling.Sigma(timesteps[i]);
        }
        return sigmas;
    }
}
