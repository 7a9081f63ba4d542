using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Nodes.Diffusion.Values;

/// <summary>
/// LATENT: a batch of latents in raw VAE space (not multiplied by 0.18215), laid out [batch, channels, height, width],
/// with an optional noise mask (1 = regenerate) at latent resolution.
/// </summary>
[PortType(PortTypes.Latent)]
public sealed class LatentBatch : ISizedValue
{
    public LatentBatch(int batch, int channels, int height, int width, float[] samples, float[]? noiseMask = null)
    {
        if (samples.Length != (long)batch * channels * height * width)
        {
            throw new ArgumentException($"A {batch}×{channels}×{height}×{width} latent needs {(long)batch * channels * height * width} values, not {samples.Length}.");
        }
        Batch = batch;
        Channels = channels;
        Height = height;
        Width = width;
        Samples = samples;
        NoiseMask = noiseMask;
    }

    public int Batch { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public float[] Samples { get; }
    public float[]? NoiseMask { get; }
    public int ItemLength => Channels * Height * Width;
    public long ByteSize => ((long)Samples.Length + (NoiseMask?.Length ?? 0)) * sizeof(float);

    public long[] Shape => [Batch, Channels, Height, Width];
}
