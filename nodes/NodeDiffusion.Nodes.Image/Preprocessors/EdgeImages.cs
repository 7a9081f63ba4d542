using NodeDiffusion.Graph.Values;

namespace NodeDiffusion.Nodes.Image.Preprocessors;

/// <summary>Conversions between IMAGE floats and the 8-bit planes the preprocessors work on.</summary>
internal static class EdgeImages
{
    /// <summary>Runs <paramref name="edges"/> per image and returns the single-channel results as a grey RGB batch.</summary>
    public static ImageBatch Build(ImageBatch image, Func<int, byte[]> edges)
    {
        var plane = image.Height * image.Width;
        var pixels = new float[image.Batch * plane * 3];
        for (var b = 0; b < image.Batch; b++)
        {
            var map = edges(b);
            for (var i = 0; i < plane; i++)
            {
                var v = map[i] / 255f;
                var at = ((b * plane) + i) * 3;
                (pixels[at], pixels[at + 1], pixels[at + 2]) = (v, v, v);
            }
        }
        return new ImageBatch(image.Batch, image.Height, image.Width, 3, pixels);
    }

    /// <summary>Rounds [0, 1] floats to bytes, keeping the first <paramref name="channels"/> channels.</summary>
    public static void ToBytes(ReadOnlySpan<float> source, int sourceChannels, int channels, Span<byte> destination)
    {
        var count = destination.Length / channels;
        for (var i = 0; i < count; i++)
        {
            for (var c = 0; c < channels; c++)
            {
                destination[(i * channels) + c] = (byte)MathF.Round(Math.Clamp(source[(i * sourceChannels) + c], 0f, 1f) * 255f);
            }
        }
    }
}
