namespace NodeDiffusion.Diffusion.Sampling.Schedules;

/// <summary>σ uniform in log σ from σ_max to σ_min, then 0 (k-diffusion <c>get_sigmas_exponential</c>).</summary>
public static class ExponentialSchedule
{
    public static float[] Create(int steps, double sigmaMin, double sigmaMax)
    {
        ScheduleArguments.RequireSteps(steps);
        var logs = TorchMath.LinspaceFloat((float)Math.Log(sigmaMax), (float)Math.Log(sigmaMin), steps);
        var sigmas = new float[steps + 1];
        for (var i = 0; i < steps; i++)
        {
            sigmas[i] = MathF.Exp(logs[i]);
        }
        return sigmas;
    }
}
