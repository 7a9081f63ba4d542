namespace NodeDiffusion.Diffusion.Sampling.Samplers;

/// <summary>
/// k-diffusion <c>sample_lms</c>: linear multistep over the last ≤ <c>order</c> derivatives, coefficients the integrals of the
/// Lagrange basis polynomials over [σ_i, σ_i+1]; the last step (σ_next = 0) jumps to the denoised prediction.
/// </summary>
public sealed class LmsSampler(int order = 4) : KDiffusionSampler
{
    public override string Name => "lms";

    protected override void Run(SamplerRun run)
    {
        var x = run.X;
        var sigmas = run.Sigmas;
        Span<float> denoised = run.NewBuffer();
        var history = new float[order][];
        for (var k = 0; k < order; k++)
        {
            history[k] = run.NewBuffer();
        }
        Span<double> coefficients = stackalloc double[order];
        for (var i = 0; i < run.Steps; i++)
        {
            var sigma = sigmas[i];
            run.Denoise(x, sigma, denoised);
            // history[i % order] holds the newest derivative; older ones sit behind it cyclically.
            SamplerMath.ToDerivative(x, denoised, sigma, history[i % order]);
            run.Report(i, sigma, x, denoised);
            if (sigmas[i + 1] == 0)
            {
                denoised.CopyTo(x);
                continue;
            }
            var currentOrder = Math.Min(i + 1, order);
            for (var j = 0; j < currentOrder; j++)
            {
                coefficients[j] = LinearMultistep.Coefficient(currentOrder, sigmas, i, j);
            }
            for (var j = 0; j < currentOrder; j++)
            {
                SamplerMath.AddScaled(x, history[(i - j) % order], coefficients[j]);
            }
        }
    }
}
