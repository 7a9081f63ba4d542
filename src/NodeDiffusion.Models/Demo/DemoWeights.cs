using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Weights;

namespace NodeDiffusion.Models.Demo;

/// <summary>
/// Deterministic weights for the demo models: every parameter a graph asks for, filled from a seeded generator, so the
/// same demo is written on every machine. Norm scales are 1 and biases small, so activations stay in range.
/// </summary>
internal static class DemoWeights
{
    public static List<SafetensorsTensor> For(IReadOnlyList<ExpectedWeight> expected, ulong seed)
    {
        var tensors = new List<SafetensorsTensor>(expected.Count);
        var random = new SplitMix64(seed);
        foreach (var weight in expected.DistinctBy(w => w.Name).OrderBy(w => w.Name, StringComparer.Ordinal))
        {
            var count = weight.Shape.Aggregate(1L, (a, b) => a * b);
            var values = new float[count];
            var isNorm = weight.Name.Contains("norm", StringComparison.Ordinal) || weight.Name.Contains("layrnorm", StringComparison.Ordinal);
            if (weight.Name.EndsWith(".bias", StringComparison.Ordinal))
            {
                Fill(values, random, isNorm ? 0.0f : 0.02f);
            }
            else if (isNorm && weight.Shape.Length == 1)
            {
                Array.Fill(values, 1f);
            }
            else
            {
                // Uniform with variance 1/fan_in keeps each layer's output near unit scale.
                var fanIn = weight.Shape.Length > 1 ? count / weight.Shape[0] : count;
                Fill(values, random, MathF.Sqrt(3f / Math.Max(1, fanIn)));
            }
            tensors.Add(SafetensorsTensor.FromFloat32(weight.Name, weight.Shape, values));
        }
        return tensors;
    }

    private static void Fill(float[] values, SplitMix64 random, float amplitude)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = amplitude * ((2f * random.NextFloat()) - 1f);
        }
    }
}
