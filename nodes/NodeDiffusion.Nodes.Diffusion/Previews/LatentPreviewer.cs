using System.Diagnostics;
using NodeDiffusion.Graph.Nodes;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace NodeDiffusion.Nodes.Diffusion.Previews;

/// <summary>
/// Step previews by ComfyUI's latent2rgb for SD1.5: rgb = Σ_c x0[c]·F[c], mapped from [−1, 1] to bytes, scaled up to the
/// image size (at most 512 px) and sent as JPEG, at most four times a second plus the last step.
/// </summary>
internal sealed class LatentPreviewer(INodeContext context, int channels, int height, int width)
{
    private static readonly float[,] Sd15Factors =
    {
        { 0.3512f, 0.2297f, 0.3227f },
        { 0.3250f, 0.4974f, 0.2350f },
        { -0.2829f, 0.1762f, 0.2721f },
        { -0.2120f, -0.2616f, -0.7177f },
    };

    private const int MaxSide = 512;
    private static readonly long Interval = Stopwatch.Frequency / 4;
    private long _lastSent = long.MinValue / 2;

    public void Offer(ReadOnlySpan<float> denoised, int step, int totalSteps)
    {
        var now = Stopwatch.GetTimestamp();
        if (now - _lastSent < Interval && step + 1 < totalSteps)
        {
            return;
        }
        _lastSent = now;
        context.Preview(Render(denoised, step));
    }

    private PreviewFrame Render(ReadOnlySpan<float> x0, int step)
    {
        var plane = height * width;
        using var image = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var index = (y * width) + x;
                float r = 0, g = 0, b = 0;
                for (var c = 0; c < Math.Min(channels, 4); c++)
                {
                    var v = x0[(c * plane) + index];
                    r += v * Sd15Factors[c, 0];
                    g += v * Sd15Factors[c, 1];
                    b += v * Sd15Factors[c, 2];
                }
                image[x, y] = new Rgb24(ToByte(r), ToByte(g), ToByte(b));
            }
        }
        var scale = Math.Max(1, Math.Min(8, MaxSide / Math.Max(width, height)));
        image.Mutate(i => i.Resize(width * scale, height * scale, KnownResamplers.Bicubic));
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = 90 });
        return new PreviewFrame(stream.ToArray(), "image/jpeg", image.Width, image.Height, step + 1);
    }

    private static byte ToByte(float value) => (byte)Math.Clamp(MathF.Round((value + 1f) / 2f * 255f), 0f, 255f);
}
