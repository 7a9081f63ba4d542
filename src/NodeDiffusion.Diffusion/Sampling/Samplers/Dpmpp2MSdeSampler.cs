namespace NodeDiffusion.Diffusion.Sampling.Samplers;

/// <summary>
/// k-diffusion <c>sample_dpmpp_2m_sde</c> (η = 1) with the midpoint or Heun second-order correction ("dpmpp_2m_sde",
/// "dpmpp_2m_sde_heun"). ComfyUI draws its noise from a torchsde Brownian tree; here it comes from the run's
/// <see cref="INoiseSampler"/> (normally a <see cref="BrownianNoiseSampler"/>), so the statistics match but not the values.
/// </summary>
public sealed class Dpmpp2MSdeSampler(string name = "dpmpp_2m_sde", bool heun = false, double eta = 1.0, double sNoise = 1.0) : KDiffusionSampler
{
    public override string Name { get; } = name;

    public override bool UsesNoise => eta > 0 && sNoise > 0;

    protected override void Run(SamplerRun run)
    {
        var x = run.X;
        Span<float> denoised = run.NewBuffer();
        Span<float> oldDenoised = run.NewBuffer();
        Span<float> difference = run.NewBuffer();
        var hasOld = false;
        double? h = null;
        double? hLast = null;
        for (var i = 0; i < run.Steps; i++)
        {
            double sigma = run.Sigmas[i];
            double sigmaNext = run.Sigmas[i + 1];
            run.Denoise(x, (float)sigma, denoised);
            run.Report(i, (float)sigma, x, denoised);
            if (sigmaNext == 0)
            {
                denoised.CopyTo(x);
            }
            else
            {
                var lambdaS = -Math.Log(sigma);
                var lambdaT = -Math.Log(sigmaNext);
                var step = lambdaT - lambdaS;
                h = step;
                var hEta = step * (eta + 1);
                var alphaT = sigmaNext * Math.Exp(lambdaT);
                var denoisedWeight = -alphaT * SamplerMath.ExpM1(-hEta);
                SamplerMath.Combine(sigmaNext / sigma * Math.Exp(-step * eta), x, denoisedWeight, denoised, x);
                if (hasOld && hLast is { } last)
                {
                    var r = last / step;
                    SamplerMath.Combine(1, denoised, -1, oldDenoised, difference);
                    var correction = heun
                        ? alphaT * (-SamplerMath.ExpM1(-hEta) / -hEta + 1) / r
                        : 0.5 * denoisedWeight / r;
                    SamplerMath.AddScaled(x, difference, correction);
                }
                if (eta > 0 && sNoise > 0)
                {
                    run.Noise((float)sigma, (float)sigmaNext, difference);
                    SamplerMath.AddScaled(x, difference, sigmaNext * Math.Sqrt(-SamplerMath.ExpM1(-2 * step * eta)) * sNoise);
                }
            }
            denoised.CopyTo(oldDenoised);
            hasOld = true;
            hLast = h;
        }
    }
}
