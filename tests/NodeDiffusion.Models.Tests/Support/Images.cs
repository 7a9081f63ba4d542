using NodeDiffusion.Models.Runtime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NodeDiffusion.Models.Tests.Support;

/// <summary>PNG ↔ NCHW float tensors in [0, 1], as torchvision's to_tensor.</summary>
public static class Images
{
    public static FloatTensor LoadRgb(string path)
    {
        using var image = Image.Load<Rgb24>(path);
        var (w, h) = (image.Width, image.Height);
        var data = new float[3 * h * w];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var p = image[x, y];
                data[(0 * h * w) + (y * w) + x] = p.R / 255f;
                data[(1 * h * w) + (y * w) + x] = p.G / 255f;
                data[(2 * h * w) + (y * w) + x] = p.B / 255f;
            }
        }
        return new FloatTensor([1, 3, h, w], data);
    }

    /// <summary>PSNR in dB of two [0, 1] images.</summary>
    public static double Psnr(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = (double)Math.Clamp(a[i], 0f, 1f) - Math.Clamp(b[i], 0f, 1f);
            sum += d * d;
        }
        return 10 * Math.Log10(1.0 / (sum / a.Length));
    }
}
