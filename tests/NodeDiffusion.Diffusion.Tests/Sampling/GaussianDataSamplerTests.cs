using NodeDiffusion.Diffusion.Noise;
using NodeDiffusion.Diffusion.Sampling;
using NodeDiffusion.Diffusion.Sampling.Samplers;

namespace NodeDiffusion.Diffusion.Tests.Sampling;

/// <summary>
/// Every sampler on data with a known answer: x₀ ~ N(μ, s²) per element has the exact denoiser
/// D(x, σ) = (s²·x + σ²·μ)/(s² + σ²), and the probability-flow ODE carries x(σ₀) to μ + (x(σ₀) − μ)·s/√(s² + σ₀²).
/// Deterministic samplers must land there (higher-order ones much closer than Euler); stochastic ones must produce N(μ, s²).
/// </summary>
public sealed class GaussianDataSamplerTests(ITestOutputHelper output)
{
    private const float DataStd = 0.5f;
    private const int Count = 4 * 64 * 64;
    private static readonly ModelSamplingDiscrete Sd15 = ModelSamplingDiscrete.StableDiffusion15;

    [Theory]
    // Bounds ≈ 1.5× the measured error of a correct implementation on this 20-step Karras schedule (|x − μ| reaches ~2).
    [InlineData("euler", 0.25)]
    [InlineData("ddim", 0.25)]
    [InlineData("heun", 0.04)]
    [InlineData("dpm_2", 0.01)]
    [InlineData("lms", 0.03)]
    [InlineData("dpmpp_2m", 0.04)]
    [InlineData("uni_pc", 0.01)]
    [InlineData("uni_pc_bh2", 0.012)]
    [InlineData("ipndm", 0.01)]
    [InlineData("ipndm_v", 0.006)]
    [InlineData("heunpp2", 0.23)]
    [InlineData("res_multistep", 0.06)]
    [InlineData("gradient_estimation", 0.19)]
    public void DeterministicSamplersFollowTheProbabilityFlow(string sampler, double tolerance)
    {
        var sigmas = KSamplerSigmas.Calculate(Sd15, "karras", sampler, 20);
        var (mean, start) = Problem(sigmas[0]);
        var expected = new float[Count];
        var scale = DataStd / Math.Sqrt(DataStd * DataStd + (double)sigmas[0] * sigmas[0]);
        for (var i = 0; i < Count; i++)
        {
            expected[i] = (float)(mean[i] + (start[i] - mean[i]) * scale);
        }
        var x = start.ToArray();

        SamplerRegistry.Create(sampler).Sample(x, new SamplingContext { Denoise = Denoiser(mean), Sigmas = sigmas });

        var error = x.Zip(expected, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"{sampler}: max |x − exact| = {error:E2}");
        Assert.InRange(error, 0, tolerance);
    }

    [Theory]
    [InlineData("heun", 4)]
    [InlineData("dpm_2", 10)]
    [InlineData("dpmpp_2m", 4)]
    [InlineData("uni_pc", 10)]
    [InlineData("uni_pc_bh2", 10)]
    [InlineData("ipndm", 10)]
    [InlineData("ipndm_v", 10)]
    public void HigherOrderSamplersBeatEuler(string sampler, double factor)
    {
        Assert.True(FlowError(sampler, 20) * factor < FlowError("euler", 20), $"{sampler} is not {factor}× more accurate than euler");
    }

    [Theory]
    [InlineData("heun", 3.0)]
    [InlineData("dpm_2", 3.0)]
    [InlineData("dpmpp_2m", 3.0)]
    public void SecondOrderSamplersConvergeFasterThanFirstOrder(string sampler, double minimumGain)
    {
        // Doubling the steps of a first-order method halves its error; these must gain clearly more. The schedules stop at
        // σ_min so the final first-order step to 0 does not mask the order. (ComfyUI's UniPC, whose last step is a
        // corrector-less first-order jump, shows no such gain on this problem and is not listed.)
        var gain = FlowError(sampler, 20, stopAtSigmaMin: true) / FlowError(sampler, 40, stopAtSigmaMin: true);
        output.WriteLine($"{sampler}: error(20)/error(40) = {gain:F2}");
        Assert.True(gain >= minimumGain, $"{sampler}: error(20)/error(40) = {gain:F2}");
    }

    [Theory]
    [InlineData("dpm_2_ancestral")]
    [InlineData("dpmpp_2s_ancestral")]
    [InlineData("dpmpp_sde")]
    [InlineData("dpmpp_2m_sde")]
    [InlineData("dpmpp_2m_sde_heun")]
    [InlineData("dpmpp_3m_sde")]
    [InlineData("res_multistep_ancestral")]
    public void SecondOrderStochasticSamplersProduceTheDataDistribution(string sampler)
    {
        var sigmas = KSamplerSigmas.Calculate(Sd15, "karras", sampler, 30);
        var (mean, x) = Problem(sigmas[0]);
        var instance = SamplerRegistry.Create(sampler);
        var noise = KSampler.CreateNoiseSampler(instance, 77, Count, sigmas);

        instance.Sample(x, new SamplingContext { Denoise = Denoiser(mean), Sigmas = sigmas, Noise = noise });

        var (average, std) = Moments(x, mean);
        output.WriteLine($"{sampler}: mean {average:F4}, std {std:F4} (want 0, {DataStd})");
        Assert.InRange(average, -0.02, 0.02);
        Assert.InRange(std, DataStd * 0.96, DataStd * 1.04);
    }

    [Fact]
    public void DpmFastFollowsTheFlowToSigmaMin()
    {
        var sigmas = KSamplerSigmas.Calculate(Sd15, "karras", "dpm_fast", 20);
        var (mean, x) = Problem(sigmas[0]);
        double last = sigmas[^2];
        var scale = Math.Sqrt(DataStd * DataStd + last * last) / Math.Sqrt(DataStd * DataStd + (double)sigmas[0] * sigmas[0]);
        var exact = x.Select((v, i) => mean[i] + (v - mean[i]) * scale).ToArray();

        SamplerRegistry.Create("dpm_fast").Sample(x, new SamplingContext { Denoise = Denoiser(mean), Sigmas = sigmas });

        var error = x.Select((v, i) => Math.Abs(v - exact[i])).Max();
        output.WriteLine($"dpm_fast: max |x − exact(σ_min)| = {error:E2}");
        Assert.InRange(error, 0, 7e-3);
    }

    [Fact]
    public void Dpmpp2MSdeWithoutNoiseIsDpmpp2M()
    {
        var sigmas = KSamplerSigmas.Calculate(Sd15, "karras", "dpmpp_2m", 15);
        var (mean, start) = Problem(sigmas[0]);
        var ode = start.ToArray();
        var sde = start.ToArray();

        SamplerRegistry.Create("dpmpp_2m").Sample(ode, new SamplingContext { Denoise = Denoiser(mean), Sigmas = sigmas });
        new Dpmpp2MSdeSampler(eta: 0).Sample(sde, new SamplingContext { Denoise = Denoiser(mean), Sigmas = sigmas });

        Assert.InRange(ode.Zip(sde, (a, b) => Math.Abs(a - b)).Max(), 0, 1e-5);
    }

    [Fact]
    public void Dpmpp3MWithoutNoiseIsMoreAccurateThan2M()
    {
        var sigmas = KSamplerSigmas.Calculate(Sd15, "karras", "dpmpp_2m", 15)[..^1];
        var (mean, start) = Problem(sigmas[0]);
        double last = sigmas[^1];
        var scale = Math.Sqrt(DataStd * DataStd + last * last) / Math.Sqrt(DataStd * DataStd + (double)sigmas[0] * sigmas[0]);
        var exact = start.Select((v, i) => mean[i] + (v - mean[i]) * scale).ToArray();
        var second = start.ToArray();
        var third = start.ToArray();

        new Dpmpp2MSdeSampler(eta: 0).Sample(second, new SamplingContext { Denoise = Denoiser(mean), Sigmas = sigmas });
        new Dpmpp3MSdeSampler(eta: 0).Sample(third, new SamplingContext { Denoise = Denoiser(mean), Sigmas = sigmas });

        var errorSecond = second.Select((v, i) => Math.Abs(v - exact[i])).Max();
        var errorThird = third.Select((v, i) => Math.Abs(v - exact[i])).Max();
        output.WriteLine($"2M error {errorSecond:E2}, 3M error {errorThird:E2}");
        Assert.True(errorThird * 2 < errorSecond, $"3M error {errorThird:E2} vs 2M error {errorSecond:E2}");
    }

    [Fact]
    public void EulerAncestralMatchesItsExactVarianceRecursion()
    {
        var sigmas = KSamplerSigmas.Calculate(Sd15, "karras", "euler_ancestral", 30);
        var (mean, x) = Problem(sigmas[0]);
        // For Gaussian data the residual stays Gaussian: var ← var·f² + σ_up² with f = 1 + σ(σ_down − σ)/(s² + σ²).
        double s2 = DataStd * DataStd;
        var variance = s2 + (double)sigmas[0] * sigmas[0];
        for (var i = 0; i + 1 < sigmas.Length; i++)
        {
            double sigma = sigmas[i];
            double next = sigmas[i + 1];
            var up = Math.Min(next, Math.Sqrt(next * next * (sigma * sigma - next * next) / (sigma * sigma)));
            var down = Math.Sqrt(next * next - up * up);
            var f = down == 0 ? s2 / (s2 + sigma * sigma) : 1 + sigma * (down - sigma) / (s2 + sigma * sigma);
            variance = variance * f * f + up * up;
        }

        SamplerRegistry.Create("euler_ancestral").Sample(x, new SamplingContext
        {
            Denoise = Denoiser(mean), Sigmas = sigmas, Noise = new TorchNoiseSampler(77),
        });

        var (average, std) = Moments(x, mean);
        output.WriteLine($"euler_ancestral: mean {average:F4}, std {std:F4}, theory {Math.Sqrt(variance):F4}");
        Assert.InRange(average, -0.02, 0.02);
        Assert.InRange(std, Math.Sqrt(variance) * 0.985, Math.Sqrt(variance) * 1.015);
    }

    [Fact]
    public void DdpmEqualsEulerAncestralGivenTheSameNoise()
    {
        // The DDPM posterior step and the η = 1 ancestral Euler step are the same update written in ᾱ- and σ-space.
        var sigmas = KSamplerSigmas.Calculate(Sd15, "normal", "ddpm", 12);
        var (mean, start) = Problem(sigmas[0]);
        var ddpm = start.ToArray();
        var euler = start.ToArray();

        SamplerRegistry.Create("ddpm").Sample(ddpm, new SamplingContext { Denoise = Denoiser(mean), Sigmas = sigmas, Noise = new TorchNoiseSampler(5) });
        SamplerRegistry.Create("euler_ancestral").Sample(euler, new SamplingContext { Denoise = Denoiser(mean), Sigmas = sigmas, Noise = new TorchNoiseSampler(5) });

        Assert.InRange(ddpm.Zip(euler, (a, b) => Math.Abs(a - b)).Max(), 0, 1e-4);
    }

    [Fact]
    public void LcmJumpsToTheDenoisedPredictionAndRenoises()
    {
        var sigmas = KSamplerSigmas.Calculate(Sd15, "sgm_uniform", "lcm", 4);
        var (mean, start) = Problem(sigmas[0]);
        var x = start.ToArray();
        var expected = start.Select(v => (double)v).ToArray();
        var noise = new TorchCpuGenerator(9);
        var denoiser = Denoiser(mean);
        var buffer = new float[Count];
        for (var i = 0; i + 1 < sigmas.Length; i++)
        {
            denoiser(expected.Select(v => (float)v).ToArray(), sigmas[i], buffer);
            var fresh = sigmas[i + 1] > 0 ? noise.Randn(Count) : new float[Count];
            expected = [.. buffer.Select((d, k) => d + (double)sigmas[i + 1] * fresh[k])];
        }

        SamplerRegistry.Create("lcm").Sample(x, new SamplingContext { Denoise = denoiser, Sigmas = sigmas, Noise = new TorchNoiseSampler(9) });

        Assert.InRange(x.Select((v, k) => Math.Abs(v - expected[k])).Max(), 0, 1e-5);
    }

    private static (double Mean, double Std) Moments(float[] x, float[] mean)
    {
        var residual = x.Zip(mean, (a, m) => (double)a - m).ToArray();
        var average = residual.Average();
        return (average, Math.Sqrt(residual.Select(r => (r - average) * (r - average)).Average()));
    }

    [Fact]
    public void AncestralSamplerWithoutNoiseSourceIsRejected()
    {
        var sigmas = KSamplerSigmas.Calculate(Sd15, "karras", "euler_ancestral", 4);
        var (mean, x) = Problem(sigmas[0]);

        var error = Assert.Throws<ArgumentException>(() =>
            SamplerRegistry.Create("euler_ancestral").Sample(x, new SamplingContext { Denoise = Denoiser(mean), Sigmas = sigmas }));
        Assert.Contains("euler_ancestral", error.Message);
    }

    private static double FlowError(string sampler, int steps, bool stopAtSigmaMin = false)
    {
        var sigmas = KSamplerSigmas.Calculate(Sd15, "karras", sampler, steps);
        if (stopAtSigmaMin)
        {
            sigmas = sigmas[..^1];
        }
        var (mean, x) = Problem(sigmas[0]);
        double last = sigmas[^1];
        var scale = Math.Sqrt(DataStd * DataStd + last * last) / Math.Sqrt(DataStd * DataStd + (double)sigmas[0] * sigmas[0]);
        var expected = x.Select((v, i) => mean[i] + (v - mean[i]) * scale).ToArray();
        SamplerRegistry.Create(sampler).Sample(x, new SamplingContext { Denoise = Denoiser(mean), Sigmas = sigmas });
        return x.Select((v, i) => Math.Abs(v - expected[i])).Max();
    }

    /// <summary>Per-element data means in [−1, 1] and a start latent x = μ + z·√(s² + σ₀²).</summary>
    private static (float[] Mean, float[] Start) Problem(float sigma0)
    {
        var mean = new float[Count];
        for (var i = 0; i < Count; i++)
        {
            mean[i] = MathF.Sin(i * 0.37f);
        }
        var z = TorchRandom.Randn(2024, Count);
        var spread = MathF.Sqrt(DataStd * DataStd + sigma0 * sigma0);
        return (mean, mean.Select((m, i) => m + z[i] * spread).ToArray());
    }

    private static DenoiseFunction Denoiser(float[] mean) => (x, sigma, denoised) =>
    {
        var s2 = DataStd * DataStd;
        var v2 = sigma * sigma;
        for (var i = 0; i < x.Length; i++)
        {
            denoised[i] = (s2 * x[i] + v2 * mean[i]) / (s2 + v2);
        }
    };
}
