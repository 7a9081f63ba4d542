namespace NodeDiffusion.Diffusion.Sampling.Samplers;

/// <summary>
/// k-diffusion <c>sample_dpmpp_3m_sde</c> (η = 1): DPM-Solver++(3M) SDE, using the last two denoised predictions once
/// available. Noise as for <see cref="Dpmpp2MSdeSampler"/>.
/// </summary>
public sealed class Dpmpp3MSdeSampler(string name = "dpmpp_3m_sde", double eta = 1.0, double sNoise = 1.0) : KDiffusionSampler
{
    public override string Name { get; } = name;

    public override bool UsesNoise => eta > 0 && sNoise > 0;

    protected override void Run(SamplerRun run)
    {
        var x = run.X;
        var denoised = run.NewBuffer();
        var denoised1 = run.NewBuffer();
        var denoised2 = run.NewBuffer();
        Span<float> d10 = run.NewBuffer();
        Span<float> d11 = run.NewBuffer();
        var history = 0;
        double h = 0, h1 = 0, h2 = 0;
        for (var i = 0; i < run.Steps; i++)
        {
            double sigma = run.Sigmas[i];
            double sigmaNext = run.Sigmas[i + 1];
            run.Denoise(x, (float)sigma, denoised);
            run.Report(i, (float)sigma, x, denoised);
            if (sigmaNext == 0)
            {
                denoised.CopyTo(x);
            }
            else
            {
                var lambdaS = -Math.Log(sigma);
                var lambdaT = -Math.Log(sigmaNext);
                h = lambdaT - lambdaS;
                var hEta = h * (eta + 1);
                var alphaT = sigmaNext * Math.Exp(lambdaT);
                SamplerMath.Combine(sigmaNext / sigma * Math.Exp(-h * eta), x, -alphaT * SamplerMath.ExpM1(-hEta), denoised, x);
                var phi2 = SamplerMath.ExpM1(-hEta) / hEta + 1;
                if (history >= 2)
                {
                    var r0 = h1 / h;
                    var r1 = h2 / h;
                    SamplerMath.Combine(1 / r0, denoised, -1 / r0, denoised1, d10);
                    SamplerMath.Combine(1 / r1, denoised1, -1 / r1, denoised2, d11);
                    var phi3 = phi2 / hEta - 0.5;
                    // d1 = d1_0 + (d1_0 − d1_1)·r0/(r0 + r1), d2 = (d1_0 − d1_1)/(r0 + r1); x += α·φ2·d1 − α·φ3·d2.
                    var w = 1 / (r0 + r1);
                    SamplerMath.AddScaled(x, d10, alphaT * phi2 * (1 + r0 * w) - alphaT * phi3 * w);
                    SamplerMath.AddScaled(x, d11, -alphaT * phi2 * r0 * w + alphaT * phi3 * w);
                }
                else if (history == 1)
                {
                    var r = h1 / h;
                    SamplerMath.Combine(1 / r, denoised, -1 / r, denoised1, d10);
                    SamplerMath.AddScaled(x, d10, alphaT * phi2);
                }
                if (UsesNoise)
                {
                    run.Noise((float)sigma, (float)sigmaNext, d10);
                    SamplerMath.AddScaled(x, d10, sigmaNext * Math.Sqrt(-SamplerMath.ExpM1(-2 * h * eta)) * sNoise);
                }
            }
            (denoised2, denoised1, denoised) = (denoised1, denoised, denoised2);
            history = Math.Min(history + 1, 2);
            (h2, h1) = (h1, h);
        }
    }
}
