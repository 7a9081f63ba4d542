using System.Runtime.InteropServices;

namespace NodeDiffusion.Models.Weights;

/// <summary>
/// A float32 parameter. The values live in a byte array so that it can become an ONNX initializer without another copy.
/// </summary>
public sealed record WeightTensor(string Name, long[] Shape, byte[] Float32Bytes)
{
    public Span<float> Values => MemoryMarshal.Cast<byte, float>(Float32Bytes.AsSpan());

    public long ElementCount => Float32Bytes.Length / sizeof(float);

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    public static WeightTensor FromValues(string name, long[] shape, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        values.CopyTo(MemoryMarshal.Cast<byte, float>(bytes.AsSpan()));
        return new WeightTensor(name, shape, bytes);
    }
}
