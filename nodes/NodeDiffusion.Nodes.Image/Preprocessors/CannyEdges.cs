namespace NodeDiffusion.Nodes.Image.Preprocessors;

/// <summary>
/// Canny edge detection in two flavours. <see cref="OpenCv"/> follows cv2.Canny (apertureSize 3): integer Sobel with replicated
/// borders, per pixel the channel with the largest gradient, L1 (or squared L2) magnitude, OpenCV's fixed-point non-maximum suppression
/// with its strict/non-strict comparisons, thresholds floored, and 8-connected hysteresis. <see cref="Kornia"/> follows ComfyUI's
/// Canny node (kornia.filters.canny): grey, 5×5 Gaussian (σ 1), normalised Sobel, L2 magnitude, 45°-quantised suppression.
/// </summary>
public static class CannyEdges
{
    private const int Tan22Fixed = 13573; // round(tan 22.5° · 2¹⁵), as OpenCV

    /// <param name="pixels">Bytes laid out [height, width, channels].</param>
    /// <returns>One byte per pixel: 255 on edges, else 0.</returns>
    public static byte[] OpenCv(ReadOnlySpan<byte> pixels, int height, int width, int channels, double low, double high, bool l2Gradient)
    {
        if (low > high)
        {
            (low, high) = (high, low);
        }
        if (l2Gradient)
        {
            low = Math.Min(32767.0, low);
            high = Math.Min(32767.0, high);
            low = low > 0 ? low * low : low;
            high = high > 0 ? high * high : high;
        }
        var (lowInt, highInt) = ((long)Math.Floor(low), (long)Math.Floor(high));
        var count = height * width;
        var dxs = new int[count];
        var dys = new int[count];
        var magnitude = new long[count];
        for (var y = 0; y < height; y++)
        {
            var (up, down) = (Math.Max(y - 1, 0), Math.Min(y + 1, height - 1));
            for (var x = 0; x < width; x++)
            {
                var (left, right) = (Math.Max(x - 1, 0), Math.Min(x + 1, width - 1));
                var best = -1L;
                for (var c = 0; c < channels; c++)
                {
                    int ul = pixels[(((up * width) + left) * channels) + c], uc = pixels[(((up * width) + x) * channels) + c], ur = pixels[(((up * width) + right) * channels) + c];
                    int ml = pixels[(((y * width) + left) * channels) + c], mr = pixels[(((y * width) + right) * channels) + c];
                    int dl = pixels[(((down * width) + left) * channels) + c], dc = pixels[(((down * width) + x) * channels) + c], dr = pixels[(((down * width) + right) * channels) + c];
                    var dx = (ur + (2 * mr) + dr) - (ul + (2 * ml) + dl);
                    var dy = (dl + (2 * dc) + dr) - (ul + (2 * uc) + ur);
                    long m = l2Gradient ? ((long)dx * dx) + ((long)dy * dy) : Math.Abs(dx) + Math.Abs(dy);
                    if (m > best)
                    {
                        (best, dxs[(y * width) + x], dys[(y * width) + x]) = (m, dx, dy);
                    }
                }
                magnitude[(y * width) + x] = best;
            }
        }

        long Mag(int row, int column) => row < 0 || row >= height || column < 0 || column >= width ? 0 : magnitude[(row * width) + column];
        var state = new sbyte[count]; // 0 not an edge, 1 candidate (weak), 2 edge
        var stack = new Stack<int>();
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = (y * width) + x;
                var m = magnitude[i];
                if (m <= lowInt)
                {
                    continue;
                }
                var (xs, ys) = (dxs[i], dys[i]);
                var ax = (long)Math.Abs(xs);
                var ay = (long)Math.Abs(ys) << 15;
                var tg22x = ax * Tan22Fixed;
                bool isMax;
                if (ay < tg22x)
                {
                    isMax = m > Mag(y, x - 1) && m >= Mag(y, x + 1);
                }
                else if (ay > tg22x + (ax << 16))
                {
                    isMax = m > Mag(y - 1, x) && m >= Mag(y + 1, x);
                }
                else
                {
                    var s = (xs ^ ys) < 0 ? -1 : 1;
                    isMax = m > Mag(y - 1, x - s) && m > Mag(y + 1, x + s);
                }
                if (!isMax)
                {
                    continue;
                }
                if (m > highInt)
                {
                    state[i] = 2;
                    stack.Push(i);
                }
                else
                {
                    state[i] = 1;
                }
            }
        }
        return Hysteresis(state, stack, height, width);
    }

    /// <param name="rgb">Floats in [0, 1] laid out [height, width, channels] (1 or 3+ channels; 3+ are turned grey).</param>
    public static byte[] Kornia(ReadOnlySpan<float> rgb, int height, int width, int channels, float low, float high)
    {
        var count = height * width;
        var grey = new float[count];
        for (var i = 0; i < count; i++)
        {
            grey[i] = channels >= 3
                ? (0.299f * rgb[i * channels]) + (0.587f * rgb[(i * channels) + 1]) + (0.114f * rgb[(i * channels) + 2])
                : rgb[i * channels];
        }
        var blurred = GaussianBlur5(grey, height, width);
        var magnitude = new float[count];
        var direction = new int[count];
        for (var y = 0; y < height; y++)
        {
            var (up, down) = (Math.Max(y - 1, 0), Math.Min(y + 1, height - 1));
            for (var x = 0; x < width; x++)
            {
                var (left, right) = (Math.Max(x - 1, 0), Math.Min(x + 1, width - 1));
                float At(int row, int column) => blurred[(row * width) + column];
                var gx = ((At(up, right) + (2 * At(y, right)) + At(down, right)) - (At(up, left) + (2 * At(y, left)) + At(down, left))) / 8f;
                var gy = ((At(down, left) + (2 * At(down, x)) + At(down, right)) - (At(up, left) + (2 * At(up, x)) + At(up, right))) / 8f;
                magnitude[(y * width) + x] = MathF.Sqrt((gx * gx) + (gy * gy) + 1e-6f);
                var degrees = MathF.Atan2(gy, gx) * (180f / MathF.PI);
                var octant = (int)MathF.Round(degrees / 45f);
                direction[(y * width) + x] = ((octant % 8) + 8) % 8;
            }
        }
        ReadOnlySpan<(int Dy, int Dx)> offsets = [(0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1), (-1, 0), (-1, 1)];
        float Mag(int row, int column) => row < 0 || row >= height || column < 0 || column >= width ? 0f : magnitude[(row * width) + column];
        var state = new sbyte[count];
        var stack = new Stack<int>();
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = (y * width) + x;
                var m = magnitude[i];
                var (dy, dx) = offsets[direction[i]];
                if (!(m > Mag(y + dy, x + dx) && m > Mag(y - dy, x - dx)) || !(m > low))
                {
                    continue;
                }
                if (m > high)
                {
                    state[i] = 2;
                    stack.Push(i);
                }
                else
                {
                    state[i] = 1;
                }
            }
        }
        return Hysteresis(state, stack, height, width);
    }

    private static byte[] Hysteresis(sbyte[] state, Stack<int> stack, int height, int width)
    {
        while (stack.Count > 0)
        {
            var i = stack.Pop();
            var (y, x) = (i / width, i % width);
            for (var dy = -1; dy <= 1; dy++)
            {
                for (var dx = -1; dx <= 1; dx++)
                {
                    var (ny, nx) = (y + dy, x + dx);
                    if (ny < 0 || ny >= height || nx < 0 || nx >= width)
                    {
                        continue;
                    }
                    var n = (ny * width) + nx;
                    if (state[n] == 1)
                    {
                        state[n] = 2;
                        stack.Push(n);
                    }
                }
            }
        }
        var edges = new byte[state.Length];
        for (var i = 0; i < state.Length; i++)
        {
            edges[i] = state[i] == 2 ? (byte)255 : (byte)0;
        }
        return edges;
    }

    /// <summary>kornia's gaussian_blur2d((5, 5), (1, 1)) with reflect borders.</summary>
    private static float[] GaussianBlur5(float[] source, int height, int width)
    {
        Span<float> kernel = stackalloc float[5];
        var sum = 0f;
        for (var k = 0; k < 5; k++)
        {
            kernel[k] = MathF.Exp(-((k - 2) * (k - 2)) / 2f);
            sum += kernel[k];
        }
        for (var k = 0; k < 5; k++)
        {
            kernel[k] /= sum;
        }
        static int Reflect(int i, int n) => n == 1 ? 0 : i < 0 ? Math.Min(-i, n - 1) : i >= n ? Math.Max((2 * n) - 2 - i, 0) : i;
        var horizontal = new float[source.Length];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var v = 0f;
                for (var k = 0; k < 5; k++)
                {
                    v += kernel[k] * source[(y * width) + Reflect(x + k - 2, width)];
                }
                horizontal[(y * width) + x] = v;
            }
        }
        var result = new float[source.Length];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var v = 0f;
                for (var k = 0; k < 5; k++)
                {
                    v += kernel[k] * horizontal[(Reflect(y + k - 2, height) * width) + x];
                }
                result[(y * width) + x] = v;
            }
        }
        return result;
    }
}
