using NodeDiffusion.Diffusion.Text;

namespace NodeDiffusion.Diffusion.Tests.Text;

public sealed class TokenWeightingTests
{
    private const int Tokens = 77;
    private const int Dim = 16;

    [Fact]
    public void LerpFromEmptyMatchesTheDirectFormula()
    {
        var z = RandomValues(1);
        var zEmpty = RandomValues(2);
        var weights = Weights();
        var expected = (float[])z.Clone();
        for (var t = 0; t < Tokens; t++)
        {
            for (var d = 0; d < Dim; d++)
            {
                var i = t * Dim + d;
                if (weights[t] != 1f)
                {
                    expected[i] = (z[i] - zEmpty[i]) * weights[t] + zEmpty[i];
                }
            }
        }

        TokenWeighting.LerpFromEmpty(z, zEmpty, weights, Dim);

        Assert.Equal(expected, z);
    }

    [Fact]
    public void LerpFromEmptyLeavesUnweightedTokensBitForBit()
    {
        var z = RandomValues(3);
        var original = (float[])z.Clone();

        TokenWeighting.LerpFromEmpty(z, RandomValues(4), Enumerable.Repeat(1f, Tokens).ToArray(), Dim);
        TokenWeighting.Apply(TokenWeightingMethod.LerpFromEmpty, z, default, Enumerable.Repeat(1f, Tokens).ToArray(), Dim);

        Assert.Equal(original, z);
    }

    [Fact]
    public void MultiplyRestoringMeanKeepsTheChunkMean()
    {
        var z = RandomValues(5);
        var weights = Weights();
        var expected = new double[z.Length];
        double before = 0, after = 0;
        for (var i = 0; i < z.Length; i++)
        {
            before += z[i];
            expected[i] = z[i] * weights[i / Dim];
            after += expected[i];
        }
        var scale = before / after;

        TokenWeighting.Apply(TokenWeightingMethod.MultiplyRestoringMean, z, default, weights, Dim);

        for (var i = 0; i < z.Length; i++)
        {
            Assert.Equal(expected[i] * scale, z[i], 1e-4);
        }
        Assert.Equal(before / z.Length, z.Average(v => (double)v), 1e-5);
    }

    [Fact]
    public void MultiplyWithoutNormalisationOnlyScalesTokens()
    {
        var z = RandomValues(6);
        var original = (float[])z.Clone();
        var weights = Weights();

        TokenWeighting.Apply(TokenWeightingMethod.Multiply, z, default, weights, Dim);

        for (var i = 0; i < z.Length; i++)
        {
            Assert.Equal(original[i] * weights[i / Dim], z[i]);
        }
    }

    [Fact]
    public void ShapeMismatchIsRejected()
    {
        Assert.Throws<ArgumentException>(() => TokenWeighting.LerpFromEmpty(new float[10], new float[10], new float[3], 4));
        Assert.Throws<ArgumentException>(() => TokenWeighting.LerpFromEmpty(new float[12], new float[8], new float[3], 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenWeighting.Multiply(new float[12], new float[3], 0, true));
    }

    private static float[] Weights()
    {
        var weights = Enumerable.Repeat(1f, Tokens).ToArray();
        weights[3] = 1.1f;
        weights[4] = 1.21f;
        weights[10] = 0.5f;
        weights[40] = 1.5f;
        return weights;
    }

    private static float[] RandomValues(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, Tokens * Dim).Select(_ => (float)(random.NextDouble() * 4 - 1))];
    }
}
