namespace NodeDiffusion.Diffusion.Sampling.Samplers;

/// <summary>
/// k-diffusion <c>sample_ddpm</c>: the ancestral DDPM posterior step in ᾱ-space (ᾱ = 1/(σ²+1)), with the latent moved into
/// VP scaling for the step and back out afterwards.
/// </summary>
public sealed class DdpmSampler : KDiffusionSampler
{
    public override string Name => "ddpm";

    public override bool UsesNoise => true;

    protected override void Run(SamplerRun run)
    {
        var x = run.X;
        Span<float> denoised = run.NewBuffer();
        Span<float> eps = run.NewBuffer();
        Span<float> noise = run.NewBuffer();
        for (var i = 0; i < run.Steps; i++)
        {
            double sigma = run.Sigmas[i];
            double sigmaPrev = run.Sigmas[i + 1];
            run.Denoise(x, (float)sigma, denoised);
            run.Report(i, (float)sigma, x, denoised);
            SamplerMath.ToDerivative(x, denoised, sigma, eps);
            SamplerMath.Scale(x, 1 / Math.Sqrt(1 + sigma * sigma));

            var alphaCumprod = 1 / (sigma * sigma + 1);
            var alphaCumprodPrev = 1 / (sigmaPrev * sigmaPrev + 1);
            var alpha = alphaCumprod / alphaCumprodPrev;
            var scale = Math.Sqrt(1 / alpha);
            SamplerMath.Combine(scale, x, -scale * (1 - alpha) / Math.Sqrt(1 - alphaCumprod), eps, x);
            if (sigmaPrev > 0)
            {
                run.Noise((float)sigma, (float)sigmaPrev, noise);
                SamplerMath.AddScaled(x, noise, Math.Sqrt((1 - alpha) * (1 - alphaCumprodPrev) / (1 - alphaCumprod)));
                SamplerMath.Scale(x, Math.Sqrt(1 + sigmaPrev * sigmaPrev));
            }
        }
    }
}
