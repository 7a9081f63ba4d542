using NodeDiffusion.Diffusion.Sampling;

namespace NodeDiffusion.Diffusion.Tests.Sampling;

public sealed class SigmaSchedulerTests(ITestOutputHelper output)
{
    private static readonly ModelSamplingDiscrete Sd15 = ModelSamplingDiscrete.StableDiffusion15;

    // Published test vectors, comfyui-compat.md §4 (20 steps, SD1.5).
    private static readonly double[] Normal20 =
    [
        14.6146, 10.7468, 8.08152, 6.20493, 4.85565, 3.86538, 3.12376, 2.55717, 2.11566, 1.76482, 1.48058, 1.24581, 1.04814,
        0.878428, 0.729719, 0.596434, 0.473585, 0.355545, 0.232164, 0.0291672, 0,
    ];

    private static readonly double[] Karras20 =
    [
        14.6146, 11.7254, 9.3402, 7.38362, 5.78941, 4.49984, 3.46475, 2.64084, 1.99092, 1.48321, 1.09079, 0.790946, 0.564721,
        0.39639, 0.273038, 0.184168, 0.121341, 0.07786, 0.0484814, 0.0291672, 0,
    ];

    private static readonly double[] Simple20 =
    [
        14.6146, 10.9042, 8.3028, 6.44296, 5.08776, 4.08173, 3.32108, 2.73547, 2.27646, 1.91025, 1.61289, 1.36717, 1.16058,
        0.983817, 0.82986, 0.693205, 0.569285, 0.453819, 0.341674, 0.223003, 0,
    ];

    [Theory]
    [InlineData("normal")]
    [InlineData("karras")]
    [InlineData("simple")]
    public void MatchesPublishedVectors(string scheduler)
    {
        var expected = scheduler switch
        {
            "normal" => Normal20,
            "karras" => Karras20,
            _ => Simple20,
        };

        var sigmas = SigmaSchedulers.Calculate(Sd15, scheduler, 20);

        AssertClose(expected, sigmas);
        var worst = expected.Zip(sigmas, (e, a) => e == 0 ? Math.Abs(a) : Math.Abs(a - e) / e).Max();
        output.WriteLine($"{scheduler}: max relative error vs published vector {worst:E2}");
    }

    [Fact]
    public void NormalWithHalfDenoiseKeepsTheTailOfTheFortyStepSchedule()
    {
        var sigmas = KSamplerSigmas.Calculate(Sd15, "normal", "euler", 20, denoise: 0.5);

        Assert.Equal(21, sigmas.Length);
        Assert.Equal(1.54816, sigmas[0], 1.54816 * 1e-4);
        Assert.Equal(1.42253, sigmas[1], 1.42253 * 1e-4);
        Assert.Equal(0.156732, sigmas[^3], 0.156732 * 1e-4);
        Assert.Equal(0.0291672, sigmas[^2], 0.0291672 * 1e-4);
        Assert.Equal(0f, sigmas[^1]);
        Assert.Equal(SigmaSchedulers.Calculate(Sd15, "normal", 40)[^21..], sigmas);
    }

    [Fact]
    public void SgmUniformDropsTheLastOfStepsPlusOneTimesteps()
    {
        var sigmas = SigmaSchedulers.Calculate(Sd15, "sgm_uniform", 4);

        Assert.Equal(5, sigmas.Length);
        Assert.Equal(Sd15.SigmaMax, sigmas[0], 1e-5);
        Assert.Equal(Sd15.Sigma(999f * 3 / 4), sigmas[1], 1e-5);
        Assert.Equal(Sd15.Sigma(999f / 4), sigmas[3], 1e-6);
        Assert.Equal(0f, sigmas[4]);
    }

    [Fact]
    public void ExponentialIsUniformInLogSigma()
    {
        var sigmas = SigmaSchedulers.Calculate(Sd15, "exponential", 10);

        Assert.Equal(11, sigmas.Length);
        Assert.Equal(Sd15.SigmaMax, sigmas[0], 1e-4);
        Assert.Equal(Sd15.SigmaMin, sigmas[9], 1e-6);
        var ratio = Math.Log(sigmas[0] / sigmas[1]);
        for (var i = 1; i < 9; i++)
        {
            Assert.Equal(ratio, Math.Log(sigmas[i] / sigmas[i + 1]), 1e-5);
        }
    }

    [Fact]
    public void DdimUniformTakesEveryKthTableEntryFromIndexOne()
    {
        var sigmas = SigmaSchedulers.Calculate(Sd15, "ddim_uniform", 20);

        Assert.Equal(21, sigmas.Length);
        Assert.Equal(Sd15.Sigmas[951], sigmas[0]);
        Assert.Equal(Sd15.Sigmas[901], sigmas[1]);
        Assert.Equal(Sd15.Sigmas[1], sigmas[19]);
        Assert.Equal(0f, sigmas[20]);
    }

    [Fact]
    public void DdimUniformWithANonDivisorStepCountYieldsExtraSteps()
    {
        // 1000 // 30 = 33 → timesteps 1, 34, …, 991: 31 values plus the final 0, as in ComfyUI.
        Assert.Equal(32, SigmaSchedulers.Calculate(Sd15, "ddim_uniform", 30).Length);
    }

    [Fact]
    public void BetaScheduleUsesBetaQuantiles()
    {
        var sigmas = SigmaSchedulers.Calculate(Sd15, "beta", 10);

        Assert.Equal(Sd15.SigmaMax, sigmas[0]);
        Assert.Equal(0f, sigmas[^1]);
        // Beta(0.6, 0.6) is symmetric, so its median is 0.5 → timestep rint(499.5) = 500 (half to even) at i = 5.
        Assert.Equal(Sd15.Sigmas[500], sigmas[5]);
        for (var i = 1; i < sigmas.Length; i++)
        {
            Assert.True(sigmas[i] < sigmas[i - 1]);
        }
    }

    [Fact]
    public void LinearQuadraticAndKlOptimalStartAtSigmaMaxAndEndAtZero()
    {
        foreach (var name in new[] { "linear_quadratic", "kl_optimal" })
        {
            var sigmas = SigmaSchedulers.Calculate(Sd15, name, 8);
            Assert.Equal(9, sigmas.Length);
            Assert.Equal(Sd15.SigmaMax, sigmas[0], 1e-4);
            Assert.Equal(0f, sigmas[^1]);
            for (var i = 1; i < sigmas.Length; i++)
            {
                Assert.True(sigmas[i] < sigmas[i - 1], $"{name} not descending at {i}");
            }
        }
        Assert.Equal(Sd15.SigmaMin, SigmaSchedulers.Calculate(Sd15, "kl_optimal", 8)[7], 1e-6);
    }

    [Fact]
    public void UnknownSchedulerListsTheValidOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => SigmaSchedulers.Calculate(Sd15, "fancy", 20));

        foreach (var name in SigmaSchedulers.Names)
        {
            Assert.Contains(name, error.Message);
        }
    }

    [Fact]
    public void PenultimateSigmaIsDroppedForDpm2AndUniPc()
    {
        var plain = SigmaSchedulers.Calculate(Sd15, "karras", 21);
        var dpm2 = KSamplerSigmas.Calculate(Sd15, "karras", "dpm_2", 20);

        Assert.Equal(21, dpm2.Length);
        Assert.Equal(plain[..20], dpm2[..20]);
        Assert.Equal(0f, dpm2[20]);
        Assert.Equal(21, KSamplerSigmas.Calculate(Sd15, "karras", "euler", 20).Length);
    }

    [Fact]
    public void AdvancedSlicingFollowsKSamplerSample()
    {
        var sigmas = SigmaSchedulers.Calculate(Sd15, "normal", 20);

        var firstHalf = KSamplerSigmas.Slice(sigmas, 0, 10, forceFullDenoise: false)!;
        Assert.Equal(sigmas[..11], firstHalf);

        var firstHalfFull = KSamplerSigmas.Slice(sigmas, 0, 10, forceFullDenoise: true)!;
        Assert.Equal(0f, firstHalfFull[^1]);
        Assert.Equal(sigmas[..10], firstHalfFull[..10]);

        var secondHalf = KSamplerSigmas.Slice(sigmas, 10, 10000, forceFullDenoise: true)!;
        Assert.Equal(sigmas[10..], secondHalf);

        Assert.Null(KSamplerSigmas.Slice(sigmas, 20, null, forceFullDenoise: false));
    }

    [Fact]
    public void UnknownSamplerListsTheValidOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => KSamplerSigmas.Calculate(Sd15, "normal", "euler_z", 20));

        Assert.Contains("dpmpp_2m", error.Message);
        Assert.Contains("uni_pc_bh2", error.Message);
    }

    [Fact]
    public void ZeroDenoiseGivesNoSigmas()
    {
        Assert.Empty(KSamplerSigmas.Calculate(Sd15, "normal", "euler", 20, denoise: 0));
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * Math.Abs(expected[i]) + 1e-9,
                $"σ[{i}]: expected {expected[i]} got {actual[i]}");
        }
    }
}
