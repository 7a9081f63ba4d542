using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Latent;

/// <summary>ComfyUI's common_upscale on a LATENT: optional centre crop to the new aspect ratio, then the chosen resize.</summary>
public static class LatentUpscaling
{
    private const long MaxValues = 64L * 1024 * 1024;

    /// <summary>
    /// The noise mask is carried along resized (bilinear) from the whole uncropped mask, as ComfyUI resizes the stored mask to
    /// whatever latent size the sampler finally sees.
    /// </summary>
    public static LatentBatch Upscale(LatentBatch latent, int newWidth, int newHeight, string method, bool centerCrop, string input)
    {
        if (newWidth < 1 || newHeight < 1)
        {
            throw new NodeException($"The upscaled latent would be {newWidth}×{newHeight}; it needs at least 1×1.", input);
        }
        var values = (long)latent.Batch * latent.Channels * newHeight * newWidth;
        if (values > MaxValues)
        {
            throw new NodeException($"The upscaled latent ({latent.Batch}×{latent.Channels}×{newHeight}×{newWidth}) is too large ({values:N0} values).", input);
        }
        if (Array.IndexOf(PlaneResize.Methods, method) < 0)
        {
            throw new NodeException($"Unknown upscale method '{method}'; expected one of {string.Join(", ", PlaneResize.Methods)}.", "upscale_method");
        }
        var (height, width) = (latent.Height, latent.Width);
        var source = latent.Samples;
        if (centerCrop)
        {
            var (x, y) = CenterCrop(width, height, newWidth, newHeight);
            if (x != 0 || y != 0)
            {
                (source, height, width) = (Crop(latent, x, y), height - (2 * y), width - (2 * x));
            }
        }
        var samples = method == "bislerp"
            ? Bislerp.Resize(source, latent.Batch, latent.Channels, height, width, newHeight, newWidth)
            : PlaneResize.Resize(source, latent.Batch * latent.Channels, height, width, newHeight, newWidth, method);
        var mask = latent.NoiseMask is { } m
            ? PlaneResize.Resize(m, m.Length / (latent.Height * latent.Width), latent.Height, latent.Width, newHeight, newWidth, "bilinear")
            : null;
        return new LatentBatch(latent.Batch, latent.Channels, newHeight, newWidth, samples, mask);
    }

    /// <summary>ComfyUI's centre crop offsets (x, y): trim the side that is too long for the new aspect, rounded half to even.</summary>
    public static (int X, int Y) CenterCrop(int oldWidth, int oldHeight, int width, int height)
    {
        var oldAspect = oldWidth / (double)oldHeight;
        var newAspect = width / (double)height;
        if (oldAspect > newAspect)
        {
            return ((int)Math.Round((oldWidth - (oldWidth * (newAspect / oldAspect))) / 2), 0);
        }
        if (oldAspect < newAspect)
        {
            return (0, (int)Math.Round((oldHeight - (oldHeight * (oldAspect / newAspect))) / 2));
        }
        return (0, 0);
    }

    private static float[] Crop(LatentBatch latent, int x, int y)
    {
        var (height, width) = (latent.Height - (2 * y), latent.Width - (2 * x));
        var planes = latent.Batch * latent.Channels;
        var result = new float[planes * height * width];
        for (var p = 0; p < planes; p++)
        {
            for (var row = 0; row < height; row++)
            {
                latent.Samples.AsSpan((p * latent.Height * latent.Width) + ((row + y) * latent.Width) + x, width)
                    .CopyTo(result.AsSpan((p * height * width) + (row * width), width));
            }
        }
        return result;
    }
}
