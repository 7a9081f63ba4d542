namespace NodeDiffusion.Diffusion.Sampling.Samplers;

/// <summary>
/// k-diffusion <c>sample_gradient_estimation</c> (γ = 2): Euler plus (γ − 1)·(d − d_prev)·dt from the second step on;
/// the last step (σ_next = 0) jumps to the denoised prediction.
/// </summary>
public sealed class GradientEstimationSampler(double gamma = 2.0) : KDiffusionSampler
{
    public override string Name => "gradient_estimation";

    protected override void Run(SamplerRun run)
    {
        var x = run.X;
        Span<float> denoised = run.NewBuffer();
        var d = run.NewBuffer();
        var oldD = run.NewBuffer();
        Span<float> difference = run.NewBuffer();
        for (var i = 0; i < run.Steps; i++)
        {
            double sigma = run.Sigmas[i];
            double sigmaNext = run.Sigmas[i + 1];
            run.Denoise(x, (float)sigma, denoised);
            SamplerMath.ToDerivative(x, denoised, sigma, d);
            run.Report(i, (float)sigma, x, denoised);
            var dt = sigmaNext - sigma;
            if (sigmaNext == 0)
            {
                denoised.CopyTo(x);
            }
            else
            {
                SamplerMath.AddScaled(x, d, dt);
                if (i >= 1)
                {
                    SamplerMath.Combine(gamma - 1, d, 1 - gamma, oldD, difference);
                    SamplerMath.AddScaled(x, difference, dt);
                }
            }
            (d, oldD) = (oldD, d);
        }
    }
}
