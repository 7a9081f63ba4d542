using NodeDiffusion.Diffusion.Noise;
using NodeDiffusion.Diffusion.Sampling;

namespace NodeDiffusion.Diffusion.Tests.Sampling;

public sealed class KSamplerTests
{
    private const int Length = 4 * 8 * 8;
    private const float Scale = 0.18215f;

    [Fact]
    public void Txt2ImgStartsFromTorchNoiseScaledBySqrtOfSigmaMaxSquaredPlusOne()
    {
        float[]? firstInput = null;
        float firstSigma = 0;
        var request = Request("euler", "normal") with
        {
            Denoise = (x, sigma, denoised) =>
            {
                if (firstInput is null)
                {
                    firstInput = x.ToArray();
                    firstSigma = sigma;
                }
                x.CopyTo(denoised);
            },
        };

        KSampler.Sample(request);

        var noise = TorchRandom.Randn(1234, Length);
        var expectedScale = MathF.Sqrt(1f + firstSigma * firstSigma);
        Assert.Equal(ModelSamplingDiscrete.StableDiffusion15.SigmaMax, firstSigma, 1e-4);
        for (var i = 0; i < Length; i++)
        {
            Assert.Equal(noise[i] * expectedScale, firstInput![i], 1e-5);
        }
    }

    [Fact]
    public void PerfectDenoiserReturnsTheTargetInGraphLatentScale()
    {
        var target = Enumerable.Range(0, Length).Select(i => MathF.Cos(i)).ToArray();
        foreach (var sampler in SamplerRegistry.Names)
        {
            var request = Request(sampler, "karras") with
            {
                Denoise = (_, _, denoised) => target.AsSpan().CopyTo(denoised),
            };

            var result = KSampler.Sample(request);

            // ComfyUI's UniPC stops at σ = 0.001 instead of 0, leaving 0.001·noise (÷ 0.18215 in graph scale);
            // dpm_fast stops at σ_min, where the exact solution for a constant D is target + (x_T − target)·σ_min/σ_max.
            var tolerance = sampler.StartsWith("uni_pc", StringComparison.Ordinal) ? 0.03 : 2e-3;
            var expected = target.Select(v => v / Scale).ToArray();
            if (sampler == "dpm_fast")
            {
                var sd15 = ModelSamplingDiscrete.StableDiffusion15;
                var noise = TorchRandom.Randn(1234, Length);
                var start = noise.Select(n => n * MathF.Sqrt(1 + sd15.SigmaMax * sd15.SigmaMax)).ToArray();
                expected = [.. target.Select((v, i) => (v + (start[i] - v) * sd15.SigmaMin / sd15.SigmaMax) / Scale)];
            }
            for (var i = 0; i < Length; i++)
            {
                Assert.True(Math.Abs(expected[i] - result[i]) <= tolerance * Math.Max(1, Math.Abs(result[i])),
                    $"{sampler}: element {i} expected {expected[i]} got {result[i]}");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void EverySamplerAndSchedulerHandlesVeryShortRuns(int steps)
    {
        var target = Enumerable.Range(0, Length).Select(i => MathF.Cos(i)).ToArray();
        foreach (var sampler in SamplerRegistry.Names)
        {
            foreach (var scheduler in SigmaSchedulers.Names)
            {
                var calls = 0;
                var result = KSampler.Sample(Request(sampler, scheduler) with
                {
                    Steps = steps,
                    Denoise = (_, _, denoised) =>
                    {
                        calls++;
                        target.AsSpan().CopyTo(denoised);
                    },
                });

                Assert.True(calls >= 1, $"{sampler}/{scheduler}/{steps}: model never called");
                Assert.All(result, v => Assert.True(float.IsFinite(v), $"{sampler}/{scheduler}/{steps}: non-finite output"));
            }
        }
    }

    [Fact]
    public void Img2ImgScalesTheLatentInAndAddsNoiseAtTheFirstSigma()
    {
        var latent = Enumerable.Range(0, Length).Select(i => 0.5f + i % 3).ToArray();
        float[]? firstInput = null;
        float firstSigma = 0;
        var request = Request("euler", "normal") with
        {
            LatentImage = latent,
            DenoiseStrength = 0.5,
            Denoise = (x, sigma, denoised) =>
            {
                if (firstInput is null)
                {
                    firstInput = x.ToArray();
                    firstSigma = sigma;
                }
                x.CopyTo(denoised);
            },
        };

        KSampler.Sample(request);

        var expectedSigma = KSamplerSigmas.Calculate(ModelSamplingDiscrete.StableDiffusion15, "normal", "euler", 20, 0.5)[0];
        Assert.Equal(expectedSigma, firstSigma);
        var noise = TorchRandom.Randn(1234, Length);
        for (var i = 0; i < Length; i++)
        {
            Assert.Equal(latent[i] * Scale + noise[i] * firstSigma, firstInput![i], 1e-4);
        }
    }

    [Fact]
    public void CallbackSeesEveryStepInOrder()
    {
        var seen = new List<(int Index, int Total, float Sigma)>();
        var request = Request("dpmpp_2m", "karras") with
        {
            Steps = 7,
            Callback = (in SamplerStep step) => seen.Add((step.Index, step.TotalSteps, step.Sigma)),
        };

        KSampler.Sample(request);

        var sigmas = KSamplerSigmas.Calculate(ModelSamplingDiscrete.StableDiffusion15, "karras", "dpmpp_2m", 7);
        Assert.Equal(Enumerable.Range(0, 7), seen.Select(s => s.Index));
        Assert.All(seen, s => Assert.Equal(7, s.Total));
        Assert.Equal(sigmas[..7], seen.Select(s => s.Sigma));
    }

    [Fact]
    public void CancellationStopsTheRunBeforeTheNextModelCall()
    {
        using var cancellation = new CancellationTokenSource();
        var calls = 0;
        var request = Request("heun", "normal") with
        {
            CancellationToken = cancellation.Token,
            Denoise = (x, _, denoised) =>
            {
                calls++;
                if (calls == 3)
                {
                    cancellation.Cancel();
                }
                x.CopyTo(denoised);
            },
        };

        Assert.ThrowsAny<OperationCanceledException>(() => KSampler.Sample(request));
        Assert.Equal(3, calls);
    }

    [Fact]
    public void AdvancedSplitRunsMatchOneFullRun()
    {
        var target = Enumerable.Range(0, Length).Select(i => MathF.Sin(i * 0.1f)).ToArray();
        DenoiseFunction blend = (x, sigma, denoised) =>
        {
            for (var i = 0; i < x.Length; i++)
            {
                denoised[i] = (0.25f * x[i] + sigma * sigma * target[i]) / (0.25f + sigma * sigma);
            }
        };
        var full = KSampler.Sample(Request("euler", "karras") with { Denoise = blend });

        var first = KSampler.Sample(Request("euler", "karras") with
        {
            Denoise = blend, StartStep = 0, EndStep = 12, ReturnWithLeftoverNoise = true,
        });
        var second = KSampler.Sample(Request("euler", "karras") with
        {
            Denoise = blend, LatentImage = first, AddNoise = false, StartStep = 12, EndStep = 10000,
        });

        for (var i = 0; i < Length; i++)
        {
            Assert.Equal(full[i], second[i], 1e-3);
        }
    }

    [Fact]
    public void StartStepPastTheEndReturnsTheLatentUnchanged()
    {
        var latent = Enumerable.Range(0, Length).Select(i => (float)i).ToArray();
        var result = KSampler.Sample(Request("euler", "normal") with { LatentImage = latent, StartStep = 20 });
        Assert.Equal(latent, result);
    }

    [Fact]
    public void AncestralRunsAreReproducibleAndSeedDependent()
    {
        var a = KSampler.Sample(Request("euler_ancestral", "normal"));
        var b = KSampler.Sample(Request("euler_ancestral", "normal"));
        var c = KSampler.Sample(Request("euler_ancestral", "normal") with { Seed = 99 });

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData("euler")]
    [InlineData("ddim")]
    [InlineData("dpmpp_2m")]
    public void MaskedRegionKeepsTheLatentAndUnmaskedRegionIsRegenerated(string sampler)
    {
        var latent = Enumerable.Range(0, Length).Select(i => 1f + MathF.Sin(i)).ToArray();
        var mask = Enumerable.Range(0, Length).Select(i => i < Length / 2 ? 1f : 0f).ToArray();
        var target = Enumerable.Range(0, Length).Select(i => -0.3f).ToArray();
        var seenInputs = new List<float[]>();
        var sigmasSeen = new List<float>();

        var result = KSampler.Sample(Request(sampler, "normal") with
        {
            LatentImage = latent,
            DenoiseMask = mask,
            Denoise = (x, sigma, denoised) =>
            {
                seenInputs.Add(x.ToArray());
                sigmasSeen.Add(sigma);
                target.AsSpan().CopyTo(denoised);
            },
        });

        for (var i = 0; i < Length; i++)
        {
            var expected = i < Length / 2 ? target[i] / Scale : latent[i];
            Assert.Equal(expected, result[i], 1e-3);
        }
        // The kept half reaches the model as latent + noise·σ.
        var noise = sampler == "ddim" ? TorchRandom.Randn(1235, Length) : TorchRandom.Randn(1234, Length);
        var k = Length - 1;
        Assert.Equal(latent[k] * Scale + noise[k] * sigmasSeen[3], seenInputs[3][k], 1e-4);
    }

    [Fact]
    public void MaskOfOnesEqualsAnUnmaskedRun()
    {
        var latent = Enumerable.Range(0, Length).Select(i => MathF.Cos(i)).ToArray();
        var plain = KSampler.Sample(Request("euler_ancestral", "karras") with { LatentImage = latent, DenoiseStrength = 0.6 });
        var masked = KSampler.Sample(Request("euler_ancestral", "karras") with
        {
            LatentImage = latent, DenoiseStrength = 0.6, DenoiseMask = Enumerable.Repeat(1f, Length).ToArray(),
        });

        Assert.Equal(plain, masked);
    }

    private static KSamplerRequest Request(string sampler, string scheduler) => new()
    {
        Denoise = (x, sigma, denoised) =>
        {
            for (var i = 0; i < x.Length; i++)
            {
                denoised[i] = x[i] / (1 + sigma * sigma);
            }
        },
        LatentImage = new float[Length],
        Seed = 1234,
        Steps = 20,
        Sampler = sampler,
        Scheduler = scheduler,
    };
}
