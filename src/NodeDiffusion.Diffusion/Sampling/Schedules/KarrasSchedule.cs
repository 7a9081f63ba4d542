namespace NodeDiffusion.Diffusion.Sampling.Schedules;

/// <summary>Karras et al. (2022): σ uniform in σ^(1/ρ) from σ_max to σ_min, then 0 (k-diffusion <c>get_sigmas_karras</c>).</summary>
public static class KarrasSchedule
{
    public static float[] Create(int steps, double sigmaMin, double sigmaMax, double rho = 7.0)
    {
        ScheduleArguments.RequireSteps(steps);
        var ramp = TorchMath.LinspaceFloat(0f, 1f, steps);
        var minInvRho = (float)Math.Pow(sigmaMin, 1.0 / rho);
        var maxInvRho = (float)Math.Pow(sigmaMax, 1.0 / rho);
        var span = minInvRho - maxInvRho;
        var sigmas = new float[steps + 1];
        for (var i = 0; i < steps; i++)
        {
            sigmas[i] = (float)Math.Pow(maxInvRho + ramp[i] * span, rho);
        }
        return sigmas;
    }
}
