namespace NodeDiffusion.Diffusion.Sampling.Samplers;

/// <summary>
/// k-diffusion <c>sample_heunpp2</c> (s_churn = 0): Heun++ — up to two look-ahead model calls per step blended with weights
/// σ_{i+1}/(3σ₀), σ_{i+2}/(3σ₀); Heun with weight σ_{i+1}/(2σ₀) on the second-to-last step; Euler on the last.
/// </summary>
public sealed class HeunPp2Sampler : KDiffusionSampler
{
    public override string Name => "heunpp2";

    protected override void Run(SamplerRun run)
    {
        var x = run.X;
        var sigmas = run.Sigmas;
        Span<float> denoised = run.NewBuffer();
        Span<float> d = run.NewBuffer();
        Span<float> x2 = run.NewBuffer();
        Span<float> d2 = run.NewBuffer();
        Span<float> x3 = run.NewBuffer();
        Span<float> d3 = run.NewBuffer();
        double sigmaEnd = sigmas[^1];
        double sigma0 = sigmas[0];
        for (var i = 0; i < run.Steps; i++)
        {
            double sigma = sigmas[i];
            double next = sigmas[i + 1];
            run.Denoise(x, (float)sigma, denoised);
            SamplerMath.ToDerivative(x, denoised, sigma, d);
            run.Report(i, (float)sigma, x, denoised);
            var dt = next - sigma;
            if (next == sigmaEnd)
            {
                SamplerMath.AddScaled(x, d, dt);
                continue;
            }
            x.CopyTo(x2);
            SamplerMath.AddScaled(x2, d, dt);
            run.Denoise(x2, (float)next, denoised);
            SamplerMath.ToDerivative(x2, denoised, next, d2);
            double afterNext = sigmas[i + 2];
            if (afterNext == sigmaEnd)
            {
                var w2 = next / (2 * sigma0);
                SamplerMath.Combine(1 - w2, d, w2, d2, d);
            }
            else
            {
                x2.CopyTo(x3);
                SamplerMath.AddScaled(x3, d2, afterNext - next);
                run.Denoise(x3, (float)afterNext, denoised);
                SamplerMath.ToDerivative(x3, denoised, afterNext, d3);
                var w2 = next / (3 * sigma0);
                var w3 = afterNext / (3 * sigma0);
                SamplerMath.Combine(1 - w2 - w3, d, w2, d2, d);
                SamplerMath.AddScaled(d, d3, w3);
            }
            SamplerMath.AddScaled(x, d, dt);
        }
    }
}
