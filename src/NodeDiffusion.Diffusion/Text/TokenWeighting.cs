using System.Numerics.Tensors;

namespace NodeDiffusion.Diffusion.Text;

/// <summary>
/// Applies emphasis weights to a text encoder's output for one chunk: <c>z</c> is row-major [tokens, dim] with one
/// weight per token.
/// </summary>
public static class TokenWeighting
{
    /// <summary>Dispatches on <paramref name="method"/>; <paramref name="zEmpty"/> is needed only for <see cref="TokenWeightingMethod.LerpFromEmpty"/>.</summary>
    public static void Apply(TokenWeightingMethod method, Span<float> z, ReadOnlySpan<float> zEmpty, ReadOnlySpan<float> weights, int dim)
    {
        switch (method)
        {
            case TokenWeightingMethod.LerpFromEmpty:
                LerpFromEmpty(z, zEmpty, weights, dim);
                break;
            case TokenWeightingMethod.MultiplyRestoringMean:
                Multiply(z, weights, dim, restoreMean: true);
                break;
            case TokenWeightingMethod.Multiply:
                Multiply(z, weights, dim, restoreMean: false);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown weighting method.");
        }
    }

    /// <summary>
    /// ComfyUI: for every token whose weight is not 1, <c>z = (z − z_empty)·w + z_empty</c>, with z_empty the encoding of
    /// the empty prompt at the same position. Tokens of weight 1 are left bit-for-bit unchanged, and
    /// <paramref name="zEmpty"/> may be empty when every weight is 1.
    /// </summary>
    public static void LerpFromEmpty(Span<float> z, ReadOnlySpan<float> zEmpty, ReadOnlySpan<float> weights, int dim)
    {
        CheckShape(z.Length, weights.Length, dim, nameof(z));
        if (weights.IndexOfAnyExcept(1f) < 0)
        {
            return;
        }
        if (zEmpty.Length != z.Length)
        {
            throw new ArgumentException($"z_empty has {zEmpty.Length} values but z has {z.Length}; both must be [{weights.Length}, {dim}].", nameof(zEmpty));
        }
        for (var token = 0; token < weights.Length; token++)
        {
            var w = weights[token];
            if (w == 1f)
            {
                continue;
            }
            var row = z.Slice(token * dim, dim);
            var empty = zEmpty.Slice(token * dim, dim);
            // Separate subtract, multiply and add (no fused multiply-add) so rounding matches PyTorch's three ops.
            TensorPrimitives.Subtract(row, empty, row);
            TensorPrimitives.Multiply(row, w, row);
            TensorPrimitives.Add(row, empty, row);
        }
    }

    /// <summary>
    /// A1111: <c>z·w</c> per token; with <paramref name="restoreMean"/> the whole chunk is then scaled by
    /// <c>mean(z before) / mean(z after)</c>.
    /// </summary>
    public static void Multiply(Span<float> z, ReadOnlySpan<float> weights, int dim, bool restoreMean)
    {
        CheckShape(z.Length, weights.Length, dim, nameof(z));
        var originalMean = restoreMean ? Mean(z) : 0;
        for (var token = 0; token < weights.Length; token++)
        {
            var row = z.Slice(token * dim, dim);
            TensorPrimitives.Multiply(row, weights[token], row);
        }
        if (restoreMean)
        {
            var newMean = Mean(z);
            TensorPrimitives.Multiply(z, (float)(originalMean / newMean), z);
        }
    }

    private static double Mean(ReadOnlySpan<float> values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }
        return sum / values.Length;
    }

    private static void CheckShape(int length, int tokens, int dim, string name)
    {
        if (dim <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), dim, "The hidden size must be positive.");
        }
        if (length != tokens * dim)
        {
            throw new ArgumentException($"{name} has {length} values; expected {tokens} tokens × {dim} = {tokens * dim}.", name);
        }
    }
}
