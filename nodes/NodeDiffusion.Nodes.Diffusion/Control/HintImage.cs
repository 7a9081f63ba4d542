using NodeDiffusion.Graph.Values;

namespace NodeDiffusion.Nodes.Diffusion.Control;

/// <summary>
/// A ControlNet hint at the size the ControlNet needs, as ComfyUI's <c>common_upscale(…, "nearest-exact", "center")</c>:
/// crop the centre to the target aspect ratio, then nearest-exact resampling; the batch repeats cyclically.
/// </summary>
internal static class HintImage
{
    /// <summary>Writes [batch, 3, height, width] (RGB, the first three channels of the IMAGE) into <paramref name="destination"/>.</summary>
    public static void Write(ImageBatch image, int batch, int height, int width, Span<float> destination)
    {
        var (oldWidth, oldHeight) = (image.Width, image.Height);
        var oldAspect = (double)oldWidth / oldHeight;
        var newAspect = (double)width / height;
        var (x, y) = (0, 0);
        if (oldAspect > newAspect)
        {
            x = (int)Math.Round((oldWidth - (oldWidth * (newAspect / oldAspect))) / 2, MidpointRounding.ToEven);
        }
        else if (oldAspect < newAspect)
        {
            y = (int)Math.Round((oldHeight - (oldHeight * (oldAspect / newAspect))) / 2, MidpointRounding.ToEven);
        }
        var (cropHeight, cropWidth) = (oldHeight - (2 * y), oldWidth - (2 * x));
        var scaleY = (float)cropHeight / height;
        var scaleX = (float)cropWidth / width;
        var plane = height * width;
        for (var b = 0; b < batch; b++)
        {
            var source = image.Image(b % image.Batch);
            var item = destination.Slice(b * 3 * plane, 3 * plane);
            for (var row = 0; row < height; row++)
            {
                var sourceRow = y + Math.Min((int)MathF.Floor((row + 0.5f) * scaleY), cropHeight - 1);
                for (var column = 0; column < width; column++)
                {
                    var sourceColumn = x + Math.Min((int)MathF.Floor((column + 0.5f) * scaleX), cropWidth - 1);
                    var pixel = ((sourceRow * oldWidth) + sourceColumn) * image.Channels;
                    for (var c = 0; c < 3; c++)
                    {
                        item[(c * plane) + (row * width) + column] = source[pixel + c];
                    }
                }
            }
        }
    }
}
