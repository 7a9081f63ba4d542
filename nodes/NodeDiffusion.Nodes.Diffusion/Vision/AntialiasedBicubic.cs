namespace NodeDiffusion.Nodes.Diffusion.Vision;

/// <summary>
/// One axis of torch's antialiased bicubic resampling (<c>_upsample_bicubic2d_aa</c>, as PIL): the cubic kernel with
/// a = −0.5, widened by the scale when shrinking, weights normalised to sum 1, sample centres at (i + 0.5)·scale.
/// </summary>
internal sealed class AntialiasedBicubic
{
    private readonly int[] _start;
    private readonly float[][] _weights;

    private AntialiasedBicubic(int[] start, float[][] weights) => (_start, _weights) = (start, weights);

    public static AntialiasedBicubic Weights(int inputSize, int outputSize)
    {
        var scale = (double)inputSize / outputSize;
        var support = scale >= 1.0 ? 2.0 * scale : 2.0;
        var invScale = scale >= 1.0 ? 1.0 / scale : 1.0;
        var start = new int[outputSize];
        var weights = new float[outputSize][];
        for (var i = 0; i < outputSize; i++)
        {
            var center = scale * (i + 0.5);
            var min = Math.Max((int)(center - support + 0.5), 0);
            var count = Math.Min((int)(center + support + 0.5), inputSize) - min;
            var w = new double[count];
            var total = 0.0;
            for (var j = 0; j < count; j++)
            {
                w[j] = Cubic((j + min - center + 0.5) * invScale);
                total += w[j];
            }
            start[i] = min;
            weights[i] = w.Select(v => (float)(total != 0 ? v / total : v)).ToArray();
        }
        return new AntialiasedBicubic(start, weights);
    }

    /// <summary>Output sample <paramref name="output"/> from input samples at <c>offset + i·stride</c>.</summary>
    public float Apply(int output, ReadOnlySpan<float> input, int offset, int stride)
    {
        var w = _weights[output];
        var at = offset + (_start[output] * stride);
        var sum = 0f;
        for (var j = 0; j < w.Length; j++, at += stride)
        {
            sum += w[j] * input[at];
        }
        return sum;
    }

    private static double Cubic(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        return x < 1 ? ((((a + 2) * x) - (a + 3)) * x * x) + 1
            : x < 2 ? ((((x - 5) * x) + 8) * x - 4) * a
            : 0;
    }
}
