namespace NodeDiffusion.Diffusion.Sampling.Samplers;

/// <summary>The LMS coefficients shared by k-diffusion's <c>sample_lms</c> and diffusers' LMSDiscreteScheduler.</summary>
public static class LinearMultistep
{
    private static readonly double[] GaussNodes = [-0.9061798459386640, -0.5384693101056831, 0.0, 0.5384693101056831, 0.9061798459386640];
    private static readonly double[] GaussWeights = [0.2369268850561891, 0.4786286704993665, 0.5688888888888889, 0.4786286704993665, 0.2369268850561891];

    /// <summary>
    /// ∫ from t[i] to t[i+1] of Π_{k≠j, k&lt;order} (τ − t[i−k]) / (t[i−j] − t[i−k]) dτ. The integrand is a polynomial of degree
    /// order−1 ≤ 3, which 5-point Gauss–Legendre integrates exactly (scipy's quad gives the same value to its tolerance).
    /// </summary>
    public static double Coefficient(int order, ReadOnlySpan<float> t, int i, int j)
    {
        if (order - 1 > i)
        {
            throw new ArgumentException($"Order {order} too high for step {i}.", nameof(order));
        }
        double a = t[i];
        double b = t[i + 1];
        var half = 0.5 * (b - a);
        var mid = 0.5 * (a + b);
        var sum = 0.0;
        for (var n = 0; n < GaussNodes.Length; n++)
        {
            var tau = mid + half * GaussNodes[n];
            var product = 1.0;
            for (var k = 0; k < order; k++)
            {
                if (k == j)
                {
                    continue;
                }
                product *= (tau - t[i - k]) / ((double)t[i - j] - t[i - k]);
            }
            sum += GaussWeights[n] * product;
        }
        return sum * half;
    }
}
