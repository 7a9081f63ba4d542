namespace NodeDiffusion.Diffusion.Sampling.Samplers;

/// <summary>
/// k-diffusion <c>res_multistep</c> (arXiv 2308.02157, second-order multistep exponential integrator) as ComfyUI's
/// "res_multistep" (η = 0) and "res_multistep_ancestral" (η = 1: steps to σ_down, then noise·σ_up). First step and steps to
/// σ_down = 0 are Euler.
/// </summary>
public sealed class ResMultistepSampler(bool ancestral) : KDiffusionSampler
{
    public override string Name => ancestral ? "res_multistep_ancestral" : "res_multistep";

    public override bool UsesNoise => ancestral;

    protected override void Run(SamplerRun run)
    {
        var x = run.X;
        Span<float> denoised = run.NewBuffer();
        Span<float> oldDenoised = run.NewBuffer();
        Span<float> scratch = run.NewBuffer();
        var eta = ancestral ? 1.0 : 0.0;
        var hasOld = false;
        var oldSigmaDown = 0.0;
        for (var i = 0; i < run.Steps; i++)
        {
            double sigma = run.Sigmas[i];
            double sigmaNext = run.Sigmas[i + 1];
            run.Denoise(x, (float)sigma, denoised);
            var (down, up) = SamplerMath.AncestralStep(sigma, sigmaNext, eta);
            run.Report(i, (float)sigma, x, denoised);
            if (down == 0 || !hasOld)
            {
                SamplerMath.ToDerivative(x, denoised, sigma, scratch);
                SamplerMath.AddScaled(x, scratch, down - sigma);
            }
            else
            {
                var t = -Math.Log(sigma);
                var tOld = -Math.Log(oldSigmaDown);
                var tNext = -Math.Log(down);
                var tPrev = -Math.Log(run.Sigmas[i - 1]);
                var h = tNext - t;
                var c2 = (tPrev - tOld) / h;
                var phi1 = SamplerMath.ExpM1(-h) / -h;
                var phi2 = (phi1 - 1) / -h;
                var b1 = ZeroIfNaN(phi1 - phi2 / c2);
                var b2 = ZeroIfNaN(phi2 / c2);
                SamplerMath.Combine(h * b1, denoised, h * b2, oldDenoised, scratch);
                SamplerMath.Combine(Math.Exp(-h), x, 1, scratch, x);
            }
            if (ancestral && sigmaNext > 0)
            {
                run.Noise((float)sigma, (float)sigmaNext, scratch);
                SamplerMath.AddScaled(x, scratch, up);
            }
            denoised.CopyTo(oldDenoised);
            hasOld = true;
            oldSigmaDown = down;
        }
    }

    private static double ZeroIfNaN(double value) => double.IsNaN(value) ? 0 : value;
}
