namespace NodeDiffusion.Nodes.Diffusion.Latent;

/// <summary>
/// PyTorch's <c>F.interpolate</c> on a stack of planes [count, height, width] (float32, CPU semantics): nearest-exact, bilinear and
/// bicubic with align_corners=False, and area (= adaptive average pooling). Used for latents and noise masks like ComfyUI's common_upscale.
/// </summary>
public static class PlaneResize
{
    public static readonly string[] Methods = ["nearest-exact", "bilinear", "area", "bicubic", "bislerp"];

    public static float[] Resize(ReadOnlySpan<float> source, int count, int height, int width, int newHeight, int newWidth, string method)
    {
        var result = new float[(long)count * newHeight * newWidth];
        var inPlane = height * width;
        var outPlane = newHeight * newWidth;
        for (var p = 0; p < count; p++)
        {
            var from = source.Slice(p * inPlane, inPlane);
            var to = result.AsSpan(p * outPlane, outPlane);
            switch (method)
            {
                case "nearest-exact": NearestExact(from, height, width, to, newHeight, newWidth); break;
                case "bilinear": Bilinear(from, height, width, to, newHeight, newWidth); break;
                case "area": Area(from, height, width, to, newHeight, newWidth); break;
                case "bicubic": Bicubic(from, height, width, to, newHeight, newWidth); break;
                default: throw new ArgumentException($"Unknown resize method '{method}'.", nameof(method));
            }
        }
        return result;
    }

    /// <summary>PyTorch's scale for an explicit output size: input / output in float.</summary>
    public static float Scale(int input, int output) => (float)input / output;

    public static int NearestExactIndex(int dst, int input, int output) =>
        Math.Min((int)MathF.Floor((dst + 0.5f) * Scale(input, output)), input - 1);

    /// <summary>Source coordinate for bilinear/bicubic with align_corners=False; bilinear clamps negatives to 0.</summary>
    public static float SourceCoordinate(int dst, int input, int output, bool cubic)
    {
        var source = (Scale(input, output) * (dst + 0.5f)) - 0.5f;
        return !cubic && source < 0 ? 0f : source;
    }

    private static void NearestExact(ReadOnlySpan<float> from, int height, int width, Span<float> to, int newHeight, int newWidth)
    {
        for (var y = 0; y < newHeight; y++)
        {
            var sy = NearestExactIndex(y, height, newHeight);
            for (var x = 0; x < newWidth; x++)
            {
                to[(y * newWidth) + x] = from[(sy * width) + NearestExactIndex(x, width, newWidth)];
            }
        }
    }

    private static void Bilinear(ReadOnlySpan<float> from, int height, int width, Span<float> to, int newHeight, int newWidth)
    {
        for (var y = 0; y < newHeight; y++)
        {
            var sy = SourceCoordinate(y, height, newHeight, cubic: false);
            var y0 = (int)sy;
            var y1 = y0 < height - 1 ? y0 + 1 : y0;
            var ly1 = sy - y0;
            var ly0 = 1f - ly1;
            for (var x = 0; x < newWidth; x++)
            {
                var sx = SourceCoordinate(x, width, newWidth, cubic: false);
                var x0 = (int)sx;
                var x1 = x0 < width - 1 ? x0 + 1 : x0;
                var lx1 = sx - x0;
                var lx0 = 1f - lx1;
                to[(y * newWidth) + x] =
                    (ly0 * ((lx0 * from[(y0 * width) + x0]) + (lx1 * from[(y0 * width) + x1])))
                    + (ly1 * ((lx0 * from[(y1 * width) + x0]) + (lx1 * from[(y1 * width) + x1])));
            }
        }
    }

    private static void Area(ReadOnlySpan<float> from, int height, int width, Span<float> to, int newHeight, int newWidth)
    {
        for (var y = 0; y < newHeight; y++)
        {
            var (y0, y1) = ((int)((long)y * height / newHeight), (int)((((long)y + 1) * height + newHeight - 1) / newHeight));
            for (var x = 0; x < newWidth; x++)
            {
                var (x0, x1) = ((int)((long)x * width / newWidth), (int)((((long)x + 1) * width + newWidth - 1) / newWidth));
                var sum = 0f;
                for (var yy = y0; yy < y1; yy++)
                {
                    for (var xx = x0; xx < x1; xx++)
                    {
                        sum += from[(yy * width) + xx];
                    }
                }
                to[(y * newWidth) + x] = sum / ((y1 - y0) * (x1 - x0));
            }
        }
    }

    private const float CubicA = -0.75f;

    public static void CubicCoefficients(float t, Span<float> coefficients)
    {
        coefficients[0] = Far(t + 1f);
        coefficients[1] = Near(t);
        coefficients[2] = Near(1f - t);
        coefficients[3] = Far(2f - t);

        static float Near(float x) => ((((CubicA + 2f) * x) - (CubicA + 3f)) * x * x) + 1f;
        static float Far(float x) => ((((CubicA * x) - (5f * CubicA)) * x) + (8f * CubicA)) * x - (4f * CubicA);
    }

    private static void Bicubic(ReadOnlySpan<float> from, int height, int width, Span<float> to, int newHeight, int newWidth)
    {
        Span<float> cy = stackalloc float[4];
        Span<float> cx = stackalloc float[4];
        for (var y = 0; y < newHeight; y++)
        {
            var sy = SourceCoordinate(y, height, newHeight, cubic: true);
            var iy = (int)MathF.Floor(sy);
            CubicCoefficients(sy - iy, cy);
            for (var x = 0; x < newWidth; x++)
            {
                var sx = SourceCoordinate(x, width, newWidth, cubic: true);
                var ix = (int)MathF.Floor(sx);
                CubicCoefficients(sx - ix, cx);
                var value = 0f;
                for (var k = 0; k < 4; k++)
                {
                    var row = Math.Clamp(iy - 1 + k, 0, height - 1) * width;
                    var line = 0f;
                    for (var j = 0; j < 4; j++)
                    {
                        line += cx[j] * from[row + Math.Clamp(ix - 1 + j, 0, width - 1)];
                    }
                    value += cy[k] * line;
                }
                to[(y * newWidth) + x] = value;
            }
        }
    }
}
