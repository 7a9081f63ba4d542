using NodeDiffusion.Diffusion.Sampling;

namespace NodeDiffusion.Diffusion.Tests.Sampling;

public sealed class ClassifierFreeGuidanceTests
{
    [Fact]
    public void CombinesUncondPlusScaledDifferenceInPlace()
    {
        float[] cond = [1f, 2f, -3f, 0.5f];
        float[] uncond = [0.5f, 2.5f, -1f, 0.5f];

        ClassifierFreeGuidance.Apply(cond, uncond, 7.5f);

        Assert.Equal(new[] { 0.5f + 7.5f * 0.5f, 2.5f + 7.5f * -0.5f, -1f + 7.5f * -2f, 0.5f }, cond);
        Assert.Equal(new[] { 0.5f, 2.5f, -1f, 0.5f }, uncond);
    }

    [Fact]
    public void ScaleOneReturnsTheConditionalPrediction()
    {
        float[] cond = [1.25f, -2f];
        ClassifierFreeGuidance.Apply(cond, [3f, 4f], 1f);
        Assert.Equal(new[] { 1.25f, -2f }, cond);
    }

    [Fact]
    public void MismatchedLengthsAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => ClassifierFreeGuidance.Apply(new float[3], new float[4], 2f));
        Assert.Contains("uncond", error.Message);
    }

    [Fact]
    public void WrappedPairModelSeesUncondThenCondHalves()
    {
        float[]? seen = null;
        DenoiseFunction pair = (x, _, denoised) =>
        {
            seen = x.ToArray();
            for (var i = 0; i < x.Length; i++)
            {
                denoised[i] = i < x.Length / 2 ? 1f : 3f;
            }
        };
        var guided = ClassifierFreeGuidance.Wrap(pair, 2f, 2);
        var output = new float[2];

        guided([5f, 6f], 1f, output);

        Assert.Equal(new[] { 5f, 6f, 5f, 6f }, seen);
        Assert.Equal(new[] { 5f, 5f }, output);
    }
}
