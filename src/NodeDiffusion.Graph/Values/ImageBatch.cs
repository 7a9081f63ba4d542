using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Graph.Values;

/// <summary>
/// ComfyUI's IMAGE: a batch of RGB images as floats in [0, 1], laid out [batch, height, width, channels].
/// Treated as immutable once a node returns it, because cached results are shared between runs.
/// </summary>
[PortType(PortTypes.Image)]
public sealed class ImageBatch : ISizedValue
{
    public ImageBatch(int batch, int height, int width, int channels, float[] pixels)
    {
        if (batch < 1 || height < 1 || width < 1 || channels < 1)
        {
            throw new ArgumentException($"An image batch needs positive sizes, not {batch}×{height}×{width}×{channels}.");
        }
        if (pixels.Length != (long)batch * height * width * channels)
        {
            throw new ArgumentException($"{batch}×{height}×{width}×{channels} needs {(long)batch * height * width * channels} values, not {pixels.Length}.");
        }
        Batch = batch;
        Height = height;
        Width = width;
        Channels = channels;
        Pixels = pixels;
    }

    public int Batch { get; }
    public int Height { get; }
    public int Width { get; }
    public int Channels { get; }
    public float[] Pixels { get; }
    public int ImageLength => Height * Width * Channels;
    public long ByteSize => (long)Pixels.Length * sizeof(float);

    public Span<float> Image(int index) => Pixels.AsSpan(index * ImageLength, ImageLength);

    public static ImageBatch Filled(int batch, int height, int width, float red, float green, float blue)
    {
        var pixels = new float[(long)batch * height * width * 3];
        for (var i = 0; i < pixels.Length; i += 3)
        {
            pixels[i] = red;
            pixels[i + 1] = green;
            pixels[i + 2] = blue;
        }
        return new ImageBatch(batch, height, width, 3, pixels);
    }
}
