using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Graph.Values;

/// <summary>ComfyUI's MASK: a batch of single-channel masks in [0, 1], laid out [batch, height, width].</summary>
[PortType(PortTypes.Mask)]
public sealed class MaskBatch : ISizedValue
{
    public MaskBatch(int batch, int height, int width, float[] values)
    {
        if (values.Length != (long)batch * height * width)
        {
            throw new ArgumentException($"{batch}×{height}×{width} needs {(long)batch * height * width} values, not {values.Length}.");
        }
        Batch = batch;
        Height = height;
        Width = width;
        Values = values;
    }

    public int Batch { get; }
    public int Height { get; }
    public int Width { get; }
    public float[] Values { get; }
    public long ByteSize => (long)Values.Length * sizeof(float);
}
