using NodeDiffusion.Diffusion.Sampling;

namespace NodeDiffusion.Diffusion.Tests.Sampling;

public sealed class BrownianNoiseSamplerTests
{
    private const int Length = 20000;

    [Fact]
    public void IncrementsAreStandardNormal()
    {
        var sampler = new BrownianNoiseSampler(3, Length, 0.03, 14.6);
        var noise = new float[Length];

        sampler.Sample(5f, 4f, noise);

        var mean = noise.Average();
        var std = Math.Sqrt(noise.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, -0.03, 0.03);
        Assert.InRange(std, 0.97, 1.03);
    }

    [Fact]
    public void SubStepAndFullStepShareTheirOverlap()
    {
        // W(4.5) − W(5) is part of W(4) − W(5): their normalised correlation is √(0.5/1) ≈ 0.707.
        var sampler = new BrownianNoiseSampler(3, Length, 0.03, 14.6);
        var half = new float[Length];
        var full = new float[Length];

        sampler.Sample(5f, 4.5f, half);
        sampler.Sample(5f, 4f, full);

        var correlation = half.Zip(full, (a, b) => (double)a * b).Average();
        Assert.InRange(correlation, Math.Sqrt(0.5) - 0.03, Math.Sqrt(0.5) + 0.03);
    }

    [Fact]
    public void DisjointStepsAreIndependentAndQueriesAreRepeatable()
    {
        var sampler = new BrownianNoiseSampler(3, Length, 0.03, 14.6);
        var first = new float[Length];
        var second = new float[Length];
        var again = new float[Length];

        sampler.Sample(5f, 4f, first);
        sampler.Sample(4f, 3f, second);
        sampler.Sample(5f, 4f, again);

        Assert.InRange(first.Zip(second, (a, b) => (double)a * b).Average(), -0.03, 0.03);
        Assert.Equal(first, again);
    }
}
