using NodeDiffusion.Graph.Values;

namespace NodeDiffusion.Nodes.Diffusion.Vision;

/// <summary>
/// ComfyUI's clip_preprocess: resize so the shorter side is <c>size</c> (crop "center") or to size×size ("none") with
/// torch's antialiased bicubic (<c>interpolate(mode="bicubic", antialias=True)</c>), centre-crop, quantise to 8 bits
/// (<c>round(clip(255·x)) / 255</c>) and normalise with CLIP's mean and std. Output [B, 3, size, size].
/// </summary>
public static class ClipPreprocess
{
    public static readonly float[] Mean = [0.48145466f, 0.4578275f, 0.40821073f];
    public static readonly float[] Std = [0.26862954f, 0.26130258f, 0.27577711f];

    public static float[] Run(ImageBatch image, int size, bool centerCrop)
    {
        int height = image.Height, width = image.Width;
        if (height != size || width != size)
        {
            if (centerCrop)
            {
                var scale = (double)size / Math.Min(height, width);
                (height, width) = ((int)Math.Round(scale * image.Height), (int)Math.Round(scale * image.Width));
            }
            else
            {
                (height, width) = (size, size);
            }
        }
        var rows = AntialiasedBicubic.Weights(image.Height, height);
        var columns = AntialiasedBicubic.Weights(image.Width, width);
        var (top, left) = ((height - size) / 2, (width - size) / 2);
        var plane = size * size;
        var result = new float[image.Batch * 3 * plane];
        var resized = image.Height == height && image.Width == width;
        var horizontal = new float[image.Height * width * 3];
        for (var b = 0; b < image.Batch; b++)
        {
            ReadOnlySpan<float> source = image.Image(b);
            var channels = image.Channels;
            // torch resizes the last dimension (width) first, then the height.
            for (var y = 0; y < image.Height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    for (var c = 0; c < 3; c++)
                    {
                        var channel = Math.Min(c, channels - 1);
                        horizontal[(((y * width) + x) * 3) + c] = resized
                            ? source[(((y * image.Width) + x) * channels) + channel]
                            : columns.Apply(x, source, (y * image.Width * channels) + channel, channels);
                    }
                }
            }
            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    for (var c = 0; c < 3; c++)
                    {
                        var (sy, sx) = (y + top, x + left);
                        var value = resized
                            ? horizontal[(((sy * width) + sx) * 3) + c]
                            : rows.Apply(sy, horizontal, (sx * 3) + c, width * 3);
                        var quantised = MathF.Round(Math.Clamp(255f * value, 0f, 255f)) / 255f;
                        result[(b * 3 * plane) + (c * plane) + (y * size) + x] = (quantised - Mean[c]) / Std[c];
                    }
                }
            }
        }
        return result;
    }
}
