namespace NodeDiffusion.Diffusion.Sampling.Samplers;

/// <summary>k-diffusion <c>sample_lcm</c>: jump to the denoised prediction, then re-noise to σ_next with fresh noise.</summary>
public sealed class LcmSampler : KDiffusionSampler
{
    public override string Name => "lcm";

    public override bool UsesNoise => true;

    protected override void Run(SamplerRun run)
    {
        var x = run.X;
        Span<float> denoised = run.NewBuffer();
        Span<float> noise = run.NewBuffer();
        for (var i = 0; i < run.Steps; i++)
        {
            var sigma = run.Sigmas[i];
            var sigmaNext = run.Sigmas[i + 1];
            run.Denoise(x, sigma, denoised);
            run.Report(i, sigma, x, denoised);
            denoised.CopyTo(x);
            if (sigmaNext > 0)
            {
                run.Noise(sigma, sigmaNext, noise);
                SamplerMath.AddScaled(x, noise, sigmaNext);
            }
        }
    }
}
