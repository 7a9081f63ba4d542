namespace NodeDiffusion.Diffusion.Sampling.Samplers;

/// <summary>k-diffusion <c>sample_dpmpp_2s_ancestral</c> (η = 1): DPM-Solver++(2S) to σ_down with a midpoint model call, then noise·σ_up.</summary>
public sealed class Dpmpp2SAncestralSampler : KDiffusionSampler
{
    public override string Name => "dpmpp_2s_ancestral";

    public override bool UsesNoise => true;

    protected override void Run(SamplerRun run)
    {
        var x = run.X;
        Span<float> denoised = run.NewBuffer();
        Span<float> x2 = run.NewBuffer();
        Span<float> noise = run.NewBuffer();
        for (var i = 0; i < run.Steps; i++)
        {
            double sigma = run.Sigmas[i];
            double sigmaNext = run.Sigmas[i + 1];
            run.Denoise(x, (float)sigma, denoised);
            var (down, up) = SamplerMath.AncestralStep(sigma, sigmaNext);
            run.Report(i, (float)sigma, x, denoised);
            if (down == 0)
            {
                SamplerMath.ToDerivative(x, denoised, sigma, x2);
                SamplerMath.AddScaled(x, x2, down - sigma);
            }
            else
            {
                var t = -Math.Log(sigma);
                var tNext = -Math.Log(down);
                var h = tNext - t;
                var s = t + 0.5 * h;
                var sigmaS = Math.Exp(-s);
                SamplerMath.Combine(sigmaS / sigma, x, -SamplerMath.ExpM1(-0.5 * h), denoised, x2);
                run.Denoise(x2, (float)sigmaS, denoised);
                SamplerMath.Combine(Math.Exp(-tNext) / sigma, x, -SamplerMath.ExpM1(-h), denoised, x);
            }
            if (sigmaNext > 0)
            {
                run.Noise((float)sigma, (float)sigmaNext, noise);
                SamplerMath.AddScaled(x, noise, up);
            }
        }
    }
}
