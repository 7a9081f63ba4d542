namespace NodeDiffusion.Diffusion.Sampling.Samplers;

/// <summary>k-diffusion <c>sample_heun</c> (s_churn = 0): trapezoidal correction with a second model call, Euler on the last step.</summary>
public sealed class HeunSampler : KDiffusionSampler
{
    public override string Name => "heun";

    protected override void Run(SamplerRun run)
    {
        var x = run.X;
        Span<float> denoised = run.NewBuffer();
        Span<float> d = run.NewBuffer();
        Span<float> x2 = run.NewBuffer();
        Span<float> d2 = run.NewBuffer();
        for (var i = 0; i < run.Steps; i++)
        {
            var sigma = run.Sigmas[i];
            var sigmaNext = run.Sigmas[i + 1];
            run.Denoise(x, sigma, denoised);
            SamplerMath.ToDerivative(x, denoised, sigma, d);
            run.Report(i, sigma, x, denoised);
            var dt = (double)sigmaNext - sigma;
            if (sigmaNext == 0)
            {
                SamplerMath.AddScaled(x, d, dt);
                continue;
            }
            x.CopyTo(x2);
            SamplerMath.AddScaled(x2, d, dt);
            run.Denoise(x2, sigmaNext, denoised);
            SamplerMath.ToDerivative(x2, denoised, sigmaNext, d2);
            SamplerMath.Combine(0.5, d, 0.5, d2, d);
            SamplerMath.AddScaled(x, d, dt);
        }
    }
}
