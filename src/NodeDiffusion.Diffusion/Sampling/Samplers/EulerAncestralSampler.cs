namespace NodeDiffusion.Diffusion.Sampling.Samplers;

/// <summary>k-diffusion <c>sample_euler_ancestral</c> (η = 1): Euler step to σ_down, then fresh noise scaled by σ_up.</summary>
public sealed class EulerAncestralSampler : KDiffusionSampler
{
    public override string Name => "euler_ancestral";

    public override bool UsesNoise => true;

    protected override void Run(SamplerRun run)
    {
        var x = run.X;
        Span<float> denoised = run.NewBuffer();
        Span<float> d = run.NewBuffer();
        Span<float> noise = run.NewBuffer();
        for (var i = 0; i < run.Steps; i++)
        {
            var sigma = run.Sigmas[i];
            var sigmaNext = run.Sigmas[i + 1];
            run.Denoise(x, sigma, denoised);
            var (down, up) = SamplerMath.AncestralStep(sigma, sigmaNext);
            run.Report(i, sigma, x, denoised);
            if (down == 0)
            {
                denoised.CopyTo(x);
                continue;
            }
            SamplerMath.ToDerivative(x, denoised, sigma, d);
            SamplerMath.AddScaled(x, d, down - sigma);
            run.Noise(sigma, sigmaNext, noise);
            SamplerMath.AddScaled(x, noise, up);
        }
    }
}
