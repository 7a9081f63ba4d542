namespace NodeDiffusion.Diffusion.Sampling;

/// <summary>Gaussian elimination with partial pivoting for the ≤ 3×3 systems of UniPC's coefficients.</summary>
internal static class SmallLinearSystem
{
    /// <summary>Solves A[..size, ..size]·x = b where A is row-major with row length <paramref name="stride"/>.</summary>
    public static void Solve(ReadOnlySpan<double> a, int stride, int size, ReadOnlySpan<double> b, Span<double> x)
    {
        Span<double> m = stackalloc double[size * (size + 1)];
        for (var row = 0; row < size; row++)
        {
            for (var col = 0; col < size; col++)
            {
                m[row * (size + 1) + col] = a[row * stride + col];
            }
            m[row * (size + 1) + size] = b[row];
        }
        var width = size + 1;
        for (var col = 0; col < size; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < size; row++)
            {
                if (Math.Abs(m[row * width + col]) > Math.Abs(m[pivot * width + col]))
                {
                    pivot = row;
                }
            }
            if (m[pivot * width + col] == 0)
            {
                throw new InvalidOperationException("Singular UniPC coefficient matrix (repeated σ in the schedule).");
            }
            if (pivot != col)
            {
                for (var k = 0; k < width; k++)
                {
                    (m[col * width + k], m[pivot * width + k]) = (m[pivot * width + k], m[col * width + k]);
                }
            }
            for (var row = col + 1; row < size; row++)
            {
                var factor = m[row * width + col] / m[col * width + col];
                for (var k = col; k < width; k++)
                {
                    m[row * width + k] -= factor * m[col * width + k];
                }
            }
        }
        for (var row = size - 1; row >= 0; row--)
        {
            var sum = m[row * width + size];
            for (var k = row + 1; k < size; k++)
            {
                sum -= m[row * width + k] * x[k];
            }
            x[row] = sum / m[row * width + row];
        }
    }
}
