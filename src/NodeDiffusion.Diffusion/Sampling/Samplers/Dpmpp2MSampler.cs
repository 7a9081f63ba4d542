namespace NodeDiffusion.Diffusion.Sampling.Samplers;

/// <summary>
/// k-diffusion <c>sample_dpmpp_2m</c>: DPM-Solver++(2M) in t = −ln σ; first-order on the first step and when σ_next = 0,
/// otherwise extrapolating with the previous denoised prediction.
/// </summary>
public sealed class Dpmpp2MSampler : KDiffusionSampler
{
    public override string Name => "dpmpp_2m";

    protected override void Run(SamplerRun run)
    {
        var x = run.X;
        Span<float> denoised = run.NewBuffer();
        Span<float> oldDenoised = run.NewBuffer();
        Span<float> blended = run.NewBuffer();
        for (var i = 0; i < run.Steps; i++)
        {
            double sigma = run.Sigmas[i];
            double sigmaNext = run.Sigmas[i + 1];
            run.Denoise(x, (float)sigma, denoised);
            run.Report(i, (float)sigma, x, denoised);
            var t = -Math.Log(sigma);
            var tNext = -Math.Log(sigmaNext);
            var h = tNext - t;
            var ratio = sigmaNext / sigma;
            if (i == 0 || sigmaNext == 0)
            {
                SamplerMath.Combine(ratio, x, -SamplerMath.ExpM1(-h), denoised, x);
            }
            else
            {
                var hLast = t + Math.Log(run.Sigmas[i - 1]);
                var r = hLast / h;
                SamplerMath.Combine(1 + 1 / (2 * r), denoised, -1 / (2 * r), oldDenoised, blended);
                SamplerMath.Combine(ratio, x, -SamplerMath.ExpM1(-h), blended, x);
            }
            denoised.CopyTo(oldDenoised);
        }
    }
}
