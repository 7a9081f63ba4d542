namespace NodeDiffusion.Diffusion.Sampling.Samplers;

/// <summary>
/// k-diffusion <c>sample_dpm_2</c> and <c>sample_dpm_2_ancestral</c>: a midpoint step in log σ with a second model call;
/// the ancestral form steps to σ_down and adds noise·σ_up. KSampler gives these one extra schedule step and drops the penultimate σ.
/// </summary>
public sealed class Dpm2Sampler(bool ancestral) : KDiffusionSampler
{
    public override string Name => ancestral ? "dpm_2_ancestral" : "dpm_2";

    public override bool UsesNoise => ancestral;

    protected override void Run(SamplerRun run)
    {
        var x = run.X;
        Span<float> denoised = run.NewBuffer();
        Span<float> d = run.NewBuffer();
        Span<float> x2 = run.NewBuffer();
        Span<float> noise = ancestral ? run.NewBuffer() : default;
        for (var i = 0; i < run.Steps; i++)
        {
            double sigma = run.Sigmas[i];
            double sigmaNext = run.Sigmas[i + 1];
            run.Denoise(x, (float)sigma, denoised);
            var (target, up) = ancestral ? SamplerMath.AncestralStep(sigma, sigmaNext) : (sigmaNext, 0.0);
            SamplerMath.ToDerivative(x, denoised, sigma, d);
            run.Report(i, (float)sigma, x, denoised);
            if (target == 0)
            {
                SamplerMath.AddScaled(x, d, target - sigma);
                continue;
            }
            var sigmaMid = (float)Math.Exp(0.5 * (Math.Log(sigma) + Math.Log(target)));
            x.CopyTo(x2);
            SamplerMath.AddScaled(x2, d, sigmaMid - sigma);
            run.Denoise(x2, sigmaMid, denoised);
            SamplerMath.ToDerivative(x2, denoised, sigmaMid, d);
            SamplerMath.AddScaled(x, d, target - sigma);
            if (ancestral)
            {
                run.Noise((float)sigma, (float)sigmaNext, noise);
                SamplerMath.AddScaled(x, noise, up);
            }
        }
    }
}
