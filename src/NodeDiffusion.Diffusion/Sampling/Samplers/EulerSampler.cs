namespace NodeDiffusion.Diffusion.Sampling.Samplers;

/// <summary>k-diffusion <c>sample_euler</c> (s_churn = 0): x ← x + (x − D)/σ·(σ_next − σ). ComfyUI's "ddim" runs this too.</summary>
public sealed class EulerSampler(string name = "euler") : KDiffusionSampler
{
    public override string Name { get; } = name;

    protected override void Run(SamplerRun run)
    {
        var x = run.X;
        Span<float> denoised = run.NewBuffer();
        Span<float> d = run.NewBuffer();
        for (var i = 0; i < run.Steps; i++)
        {
            var sigma = run.Sigmas[i];
            run.Denoise(x, sigma, denoised);
            run.Report(i, sigma, x, denoised);
            SamplerMath.ToDerivative(x, denoised, sigma, d);
            SamplerMath.AddScaled(x, d, (double)run.Sigmas[i + 1] - sigma);
        }
    }
}
