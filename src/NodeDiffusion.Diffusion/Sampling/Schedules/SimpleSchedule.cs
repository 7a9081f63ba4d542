namespace NodeDiffusion.Diffusion.Sampling.Schedules;

/// <summary>ComfyUI "simple": every (1000/steps)-th table σ counted down from σ_max, then 0.</summary>
public static class SimpleSchedule
{
    public static float[] Create(ModelSamplingDiscrete modelSampling, int steps)
    {
        ArgumentNullException.ThrowIfNull(modelSampling);
        ScheduleArguments.RequireSteps(steps);
        var table = modelSampling.Sigmas;
        var stride = (double)table.Length / steps;
        var sigmas = new float[steps + 1];
        for (var i = 0; i < steps; i++)
        {
            sigmas[i] = table[table.Length - 1 - (int)(i * stride)];
        }
        return sigmas;
    }
}
