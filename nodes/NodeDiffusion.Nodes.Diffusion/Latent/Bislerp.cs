namespace NodeDiffusion.Nodes.Diffusion.Latent;

/// <summary>
/// ComfyUI's "bislerp" (comfy/utils.py): separable resize that spherically interpolates each pixel's channel vector, first along the
/// width, then the height. The neighbour pairs and ratios are built exactly as ComfyUI builds them (the first index and ratio from a
/// bilinear resize of the coordinates, the second index from a legacy nearest resize of coordinate + 1), quirks included.
/// </summary>
public static class Bislerp
{
    /// <param name="samples">[batch, channels, height, width].</param>
    public static float[] Resize(ReadOnlySpan<float> samples, int batch, int channels, int height, int width, int newHeight, int newWidth)
    {
        var (widthFirst, widthSecond, widthRatio) = Pairs(width, newWidth);
        var pass = new float[(long)batch * channels * height * newWidth];
        Span<float> a = stackalloc float[channels];
        Span<float> b = stackalloc float[channels];
        Span<float> mixed = stackalloc float[channels];
        for (var n = 0; n < batch; n++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < newWidth; x++)
                {
                    for (var c = 0; c < channels; c++)
                    {
                        var row = ((((n * channels) + c) * height) + y) * width;
                        a[c] = samples[row + widthFirst[x]];
                        b[c] = samples[row + widthSecond[x]];
                    }
                    Slerp(a, b, widthRatio[x], mixed);
                    for (var c = 0; c < channels; c++)
                    {
                        pass[(((((n * channels) + c) * height) + y) * newWidth) + x] = mixed[c];
                    }
                }
            }
        }
        var (heightFirst, heightSecond, heightRatio) = Pairs(height, newHeight);
        var result = new float[(long)batch * channels * newHeight * newWidth];
        for (var n = 0; n < batch; n++)
        {
            for (var y = 0; y < newHeight; y++)
            {
                for (var x = 0; x < newWidth; x++)
                {
                    for (var c = 0; c < channels; c++)
                    {
                        var plane = ((n * channels) + c) * height * newWidth;
                        a[c] = pass[plane + (heightFirst[y] * newWidth) + x];
                        b[c] = pass[plane + (heightSecond[y] * newWidth) + x];
                    }
                    Slerp(a, b, heightRatio[y], mixed);
                    for (var c = 0; c < channels; c++)
                    {
                        result[(((((n * channels) + c) * newHeight) + y) * newWidth) + x] = mixed[c];
                    }
                }
            }
        }
        return result;
    }

    /// <summary>ComfyUI's generate_bilinear_data for one axis.</summary>
    public static (int[] First, int[] Second, float[] Ratio) Pairs(int length, int newLength)
    {
        var first = new int[newLength];
        var second = new int[newLength];
        var ratio = new float[newLength];
        var scale = PlaneResize.Scale(length, newLength);
        for (var j = 0; j < newLength; j++)
        {
            var source = PlaneResize.SourceCoordinate(j, length, newLength, cubic: false);
            var i0 = (int)source;
            var i1 = i0 < length - 1 ? i0 + 1 : i0;
            var l1 = source - i0;
            var coordinate = ((1f - l1) * i0) + (l1 * i1);
            ratio[j] = coordinate - MathF.Floor(coordinate);
            first[j] = (int)coordinate;
            var nearest = Math.Min((int)MathF.Floor(j * scale), length - 1);
            second[j] = Math.Min(nearest + 1, length - 1);
        }
        return (first, second, ratio);
    }

    /// <summary>ComfyUI's slerp of two channel vectors, with its norm blending and its near-parallel / opposite fallbacks.</summary>
    public static void Slerp(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float r, Span<float> result)
    {
        var normA = MathF.Sqrt(Dot(a, a));
        var normB = MathF.Sqrt(Dot(b, b));
        var dot = 0f;
        if (normA != 0f && normB != 0f)
        {
            for (var c = 0; c < a.Length; c++)
            {
                dot += a[c] / normA * (b[c] / normB);
            }
        }
        if (dot > 1f - 1e-5f)
        {
            a.CopyTo(result);
            return;
        }
        if (dot < 1e-5f - 1f)
        {
            for (var c = 0; c < a.Length; c++)
            {
                result[c] = (a[c] * (1f - r)) + (b[c] * r);
            }
            return;
        }
        var omega = MathF.Acos(dot);
        var so = MathF.Sin(omega);
        var wa = MathF.Sin((1f - r) * omega) / so;
        var wb = MathF.Sin(r * omega) / so;
        var norm = (normA * (1f - r)) + (normB * r);
        for (var c = 0; c < a.Length; c++)
        {
            var na = normA == 0f ? 0f : a[c] / normA;
            var nb = normB == 0f ? 0f : b[c] / normB;
            result[c] = ((wa * na) + (wb * nb)) * norm;
        }
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
