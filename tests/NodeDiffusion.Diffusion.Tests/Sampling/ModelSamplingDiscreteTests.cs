using NodeDiffusion.Diffusion.Sampling;

namespace NodeDiffusion.Diffusion.Tests.Sampling;

public sealed class ModelSamplingDiscreteTests
{
    private static readonly ModelSamplingDiscrete Sd15 = ModelSamplingDiscrete.StableDiffusion15;

    [Fact]
    public void SigmaRangeIsSd15s()
    {
        // comfyui-compat.md §4: σ_min = 0.0291672, σ_max = 14.6146.
        Assert.Equal(0.0291672, Sd15.SigmaMin, 1e-6);
        Assert.Equal(14.6146, Sd15.SigmaMax, 1e-4);
        Assert.Equal(1000, Sd15.TimestepCount);
    }

    [Fact]
    public void TableMatchesTheFloat64Definition()
    {
        var root0 = Math.Sqrt(0.00085);
        var root1 = Math.Sqrt(0.012);
        var product = 1.0;
        for (var i = 0; i < 1000; i++)
        {
            var beta = Math.Pow(root0 + i * (root1 - root0) / 999, 2);
            product *= 1 - beta;
            Assert.Equal(Math.Sqrt((1 - product) / product), Sd15.Sigmas[i], Math.Abs(Sd15.Sigmas[i]) * 1e-6);
        }
    }

    [Fact]
    public void TimestepIsTheNearestTableEntryInLogSigma()
    {
        Assert.Equal(999, Sd15.Timestep(Sd15.SigmaMax));
        Assert.Equal(0, Sd15.Timestep(Sd15.SigmaMin));
        Assert.Equal(500, Sd15.Timestep(Sd15.Sigmas[500]));
        var between = MathF.Exp(0.3f * Sd15.LogSigmas[600] + 0.7f * Sd15.LogSigmas[601]);
        Assert.Equal(601, Sd15.Timestep(between));
        Assert.Equal(999, Sd15.Timestep(1000f));
    }

    [Fact]
    public void SigmaInterpolatesLogSigmaAtFractionalTimesteps()
    {
        Assert.Equal(Sd15.Sigmas[261], Sd15.Sigma(261f), 1e-6);
        var expected = Math.Exp(0.5 * (Sd15.LogSigmas[261] + Sd15.LogSigmas[262]));
        Assert.Equal(expected, Sd15.Sigma(261.5f), expected * 1e-6);
        // exp(float32 log σ) may land one ulp off the stored σ.
        Assert.Equal(Sd15.SigmaMax, Sd15.Sigma(5000f), 1e-5);
        Assert.Equal(Sd15.SigmaMin, Sd15.Sigma(-3f), 1e-8);
    }

    [Fact]
    public void PercentToSigmaFollowsComfyUi()
    {
        Assert.Equal(999999999.9, Sd15.PercentToSigma(0));
        Assert.Equal(0.0, Sd15.PercentToSigma(1));
        Assert.Equal(Sd15.Sigma(999f * 0.75f), Sd15.PercentToSigma(0.25), 1e-6);
        Assert.True(Sd15.PercentToSigma(0.2) > Sd15.PercentToSigma(0.8));
    }

    [Fact]
    public void MaxDenoiseIsTrueOnlyAtOrAboveSigmaMax()
    {
        Assert.True(Sd15.IsMaxDenoise(Sd15.SigmaMax));
        Assert.True(Sd15.IsMaxDenoise(20f));
        Assert.False(Sd15.IsMaxDenoise(10f));
    }

    [Fact]
    public void BadBetaRangeIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelSamplingDiscrete.ScaledLinear(0.02, 0.01, 1000));
        Assert.Contains("linearStart", error.Message);
    }
}
