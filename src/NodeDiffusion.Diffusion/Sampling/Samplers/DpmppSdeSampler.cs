namespace NodeDiffusion.Diffusion.Sampling.Samplers;

/// <summary>
/// k-diffusion <c>sample_dpmpp_sde</c> (η = 1, r = ½): stochastic DPM-Solver++ with a midpoint model call, noise at both
/// sub-steps. ComfyUI's noise comes from a torchsde Brownian tree; here from the run's <see cref="INoiseSampler"/>.
/// </summary>
public sealed class DpmppSdeSampler(string name = "dpmpp_sde", double eta = 1.0, double sNoise = 1.0, double r = 0.5) : KDiffusionSampler
{
    public override string Name { get; } = name;

    public override bool UsesNoise => eta > 0 && sNoise > 0;

    protected override void Run(SamplerRun run)
    {
        var x = run.X;
        Span<float> denoised = run.NewBuffer();
        Span<float> denoised2 = run.NewBuffer();
        Span<float> x2 = run.NewBuffer();
        Span<float> noise = run.NewBuffer();
        var fac = 1 / (2 * r);
        for (var i = 0; i < run.Steps; i++)
        {
            double sigma = run.Sigmas[i];
            double sigmaNext = run.Sigmas[i + 1];
            run.Denoise(x, (float)sigma, denoised);
            run.Report(i, (float)sigma, x, denoised);
            if (sigmaNext == 0)
            {
                denoised.CopyTo(x);
                continue;
            }
            var lambdaS = -Math.Log(sigma);
            var lambdaT = -Math.Log(sigmaNext);
            var h = lambdaT - lambdaS;
            var lambdaS1 = lambdaS + r * h;
            var sigmaS1 = Math.Exp(-lambdaS1);
            var alphaS = sigma * Math.Exp(lambdaS);
            var alphaS1 = sigmaS1 * Math.Exp(lambdaS1);
            var alphaT = sigmaNext * Math.Exp(lambdaT);

            var (down, up) = SamplerMath.AncestralStep(Math.Exp(-lambdaS), Math.Exp(-lambdaS1), eta);
            var hStep = -Math.Log(down) - lambdaS;
            SamplerMath.Combine(alphaS1 / alphaS * Math.Exp(-hStep), x, -alphaS1 * SamplerMath.ExpM1(-hStep), denoised, x2);
            if (UsesNoise)
            {
                run.Noise((float)sigma, (float)sigmaS1, noise);
                SamplerMath.AddScaled(x2, noise, alphaS1 * sNoise * up);
            }
            run.Denoise(x2, (float)sigmaS1, denoised2);

            (down, up) = SamplerMath.AncestralStep(Math.Exp(-lambdaS), Math.Exp(-lambdaT), eta);
            hStep = -Math.Log(down) - lambdaS;
            SamplerMath.Combine(1 - fac, denoised, fac, denoised2, denoised);
            SamplerMath.Combine(alphaT / alphaS * Math.Exp(-hStep), x, -alphaT * SamplerMath.ExpM1(-hStep), denoised, x);
            if (UsesNoise)
            {
                run.Noise((float)sigma, (float)sigmaNext, noise);
                SamplerMath.AddScaled(x, noise, alphaT * sNoise * up);
            }
        }
    }
}
