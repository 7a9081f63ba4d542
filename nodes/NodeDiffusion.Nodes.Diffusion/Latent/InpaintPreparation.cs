using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;

namespace NodeDiffusion.Nodes.Diffusion.Latent;

/// <summary>The pixels to encode and the noise mask of ComfyUI's VAEEncodeForInpaint, before the VAE runs.</summary>
/// <param name="Pixels">Cropped to multiples of 8, RGB, masked pixels set to 0.5 grey.</param>
/// <param name="NoiseMask">[MaskBatch, height, width] at pixel resolution: the rounded mask grown by grow_mask_by.</param>
public sealed record InpaintPreparation(ImageBatch Pixels, float[] NoiseMask, int MaskBatch)
{
    /// <summary>
    /// ComfyUI's steps: resize the mask (bilinear) to the image, centre-crop both to multiples of 8, grow the rounded mask with a
    /// grow×grow box sum (zero padding ⌈(grow−1)/2⌉, clamped to 1, rounded), and grey out the pixels where the rounded mask is 1.
    /// </summary>
    public static InpaintPreparation Prepare(ImageBatch pixels, MaskBatch mask, int grow)
    {
        var (fullHeight, fullWidth) = (pixels.Height, pixels.Width);
        var (height, width) = (fullHeight / 8 * 8, fullWidth / 8 * 8);
        if (height == 0 || width == 0)
        {
            throw new NodeException($"The image is {fullWidth}×{fullHeight}; at least 8×8 pixels are needed.", "pixels");
        }
        if (mask.Batch != 1 && mask.Batch != pixels.Batch)
        {
            throw new NodeException($"The mask batch has {mask.Batch} masks but the image batch has {pixels.Batch} images; use 1 mask or one per image.", "mask");
        }
        var resized = PlaneResize.Resize(mask.Values, mask.Batch, mask.Height, mask.Width, fullHeight, fullWidth, "bilinear");
        var (top, left) = ((fullHeight % 8) / 2, (fullWidth % 8) / 2);
        var plane = height * width;
        var rounded = new float[mask.Batch * plane];
        for (var b = 0; b < mask.Batch; b++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    rounded[(b * plane) + (y * width) + x] = MathF.Round(resized[(b * fullHeight * fullWidth) + ((y + top) * fullWidth) + x + left]);
                }
            }
        }
        var grown = grow == 0 ? rounded : Grow(rounded, mask.Batch, height, width, grow);

        var greyed = new float[pixels.Batch * plane * 3];
        for (var b = 0; b < pixels.Batch; b++)
        {
            var source = pixels.Image(b);
            var maskOffset = (mask.Batch == 1 ? 0 : b) * plane;
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var keep = 1f - rounded[maskOffset + (y * width) + x];
                    var from = (((y + top) * fullWidth) + x + left) * pixels.Channels;
                    var to = ((b * plane) + (y * width) + x) * 3;
                    for (var c = 0; c < 3; c++)
                    {
                        greyed[to + c] = ((source[from + Math.Min(c, pixels.Channels - 1)] - 0.5f) * keep) + 0.5f;
                    }
                }
            }
        }
        return new InpaintPreparation(new ImageBatch(pixels.Batch, height, width, 3, greyed), grown, mask.Batch);
    }

    private static float[] Grow(float[] mask, int batch, int height, int width, int grow)
    {
        var padding = grow / 2; // = ⌈(grow − 1) / 2⌉
        var plane = height * width;
        var result = new float[mask.Length];
        for (var b = 0; b < batch; b++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var sum = 0f;
                    for (var dy = 0; dy < grow; dy++)
                    {
                        var sy = y - padding + dy;
                        if (sy < 0 || sy >= height)
                        {
                            continue;
                        }
                        for (var dx = 0; dx < grow; dx++)
                        {
                            var sx = x - padding + dx;
                            if (sx >= 0 && sx < width)
                            {
                                sum += mask[(b * plane) + (sy * width) + sx];
                            }
                        }
                    }
                    result[(b * plane) + (y * width) + x] = MathF.Round(Math.Clamp(sum, 0f, 1f));
                }
            }
        }
        return result;
    }
}
