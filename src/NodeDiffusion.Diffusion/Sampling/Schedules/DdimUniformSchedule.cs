namespace NodeDiffusion.Diffusion.Sampling.Schedules;

/// <summary>
/// ComfyUI "ddim_uniform": table σ at timesteps 1, 1+k, 1+2k, … (k = ⌊1000/steps⌋), reversed, ending in 0. When 1000 is not a
/// multiple of steps this yields more than steps+1 values, exactly as ComfyUI does.
/// </summary>
public static class DdimUniformSchedule
{
    public static float[] Create(ModelSamplingDiscrete modelSampling, int steps)
    {
        ArgumentNullException.ThrowIfNull(modelSampling);
        ScheduleArguments.RequireSteps(steps);
        var table = modelSampling.Sigmas;
        var sigmas = new List<float>();
        var x = 1;
        if (Math.Abs(table[x]) <= 1e-5)
        {
            steps += 1;
        }
        else
        {
            sigmas.Add(0f);
        }
        var stride = Math.Max(table.Length / steps, 1);
        for (; x < table.Length; x += stride)
        {
            sigmas.Add(table[x]);
        }
        sigmas.Reverse();
        return [.. sigmas];
    }
}
