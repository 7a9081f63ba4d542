namespace NodeDiffusion.Diffusion.Sampling.Samplers;

/// <summary>
/// k-diffusion <c>sample_dpm_fast</c> (η = 0) as ComfyUI calls it: DPM-Solver with steps of order 3 (then 2/1) evenly spaced
/// in t = −ln σ from σ_max to the smallest non-zero σ, using as many model calls as the schedule has steps. Only the
/// schedule's end points and length matter, and the result is left at that smallest σ, not at 0.
/// </summary>
public sealed class DpmFastSampler : KDiffusionSampler
{
    public override string Name => "dpm_fast";

    protected override void Run(SamplerRun run)
    {
        var sigmas = run.Sigmas;
        double sigmaMax = sigmas[0];
        double sigmaMin = sigmas[^1] == 0 ? sigmas[^2] : sigmas[^1];
        if (sigmaMin <= 0 || sigmaMax <= 0)
        {
            throw new ArgumentException("dpm_fast needs a schedule whose first and last non-zero σ are positive.");
        }
        var x = run.X;
        var eps = run.NewBuffer();
        var denoised = run.NewBuffer();
        var u = run.NewBuffer();
        var epsR1 = run.NewBuffer();
        var epsR2 = run.NewBuffer();

        var nfe = run.Steps;
        var m = nfe / 3 + 1;
        var orders = nfe % 3 == 0
            ? [.. Enumerable.Repeat(3, m - 2), 2, 1]
            : Enumerable.Repeat(3, m - 1).Append(nfe % 3).ToArray();
        var tStart = -Math.Log(sigmaMax);
        var tEnd = -Math.Log(sigmaMin);
        for (var i = 0; i < orders.Length; i++)
        {
            var t = TorchMath.LinspaceValue(tStart, tEnd, m + 1, i);
            var tNext = TorchMath.LinspaceValue(tStart, tEnd, m + 1, i + 1);
            var h = tNext - t;
            var sigmaNext = Math.Exp(-tNext);
            Eps(run, x, t, eps, denoised);
            run.Report(i, (float)Math.Exp(-t), x, denoised);
            if (orders[i] == 1)
            {
                SamplerMath.AddScaled(x, eps, -sigmaNext * SamplerMath.ExpM1(h));
            }
            else if (orders[i] == 2)
            {
                const double r1 = 0.5;
                var s1 = t + r1 * h;
                x.CopyTo(u);
                SamplerMath.AddScaled(u, eps, -Math.Exp(-s1) * SamplerMath.ExpM1(r1 * h));
                Eps(run, u, s1, epsR1, denoised);
                var a = sigmaNext * SamplerMath.ExpM1(h);
                var b = sigmaNext / (2 * r1) * SamplerMath.ExpM1(h);
                SamplerMath.AddScaled(x, eps, -a + b);
                SamplerMath.AddScaled(x, epsR1, -b);
            }
            else
            {
                const double r1 = 1.0 / 3;
                const double r2 = 2.0 / 3;
                var s1 = t + r1 * h;
                var s2 = t + r2 * h;
                x.CopyTo(u);
                SamplerMath.AddScaled(u, eps, -Math.Exp(-s1) * SamplerMath.ExpM1(r1 * h));
                Eps(run, u, s1, epsR1, denoised);
                var sigmaS2 = Math.Exp(-s2);
                var phiR2 = SamplerMath.ExpM1(r2 * h) / (r2 * h) - 1;
                x.CopyTo(u);
                SamplerMath.AddScaled(u, eps, -sigmaS2 * SamplerMath.ExpM1(r2 * h) + sigmaS2 * (r2 / r1) * phiR2);
                SamplerMath.AddScaled(u, epsR1, -sigmaS2 * (r2 / r1) * phiR2);
                Eps(run, u, s2, epsR2, denoised);
                var phi = SamplerMath.ExpM1(h) / h - 1;
                SamplerMath.AddScaled(x, eps, -sigmaNext * SamplerMath.ExpM1(h) + sigmaNext / r2 * phi);
                SamplerMath.AddScaled(x, epsR2, -sigmaNext / r2 * phi);
            }
        }
    }

    /// <summary>ε = (x − D(x, σ))/σ at σ = e^(−t); also leaves D in <paramref name="denoised"/>.</summary>
    private static void Eps(SamplerRun run, ReadOnlySpan<float> x, double t, Span<float> eps, Span<float> denoised)
    {
        var sigma = Math.Exp(-t);
        run.Denoise(x, (float)sigma, denoised);
        SamplerMath.ToDerivative(x, denoised, sigma, eps);
    }
}
