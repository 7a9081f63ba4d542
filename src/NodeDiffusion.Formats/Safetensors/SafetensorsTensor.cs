using System.Runtime.InteropServices;

namespace NodeDiffusion.Formats.Safetensors;

/// <summary>A tensor to write: name, dtype, shape and its little-endian bytes.</summary>
public sealed record SafetensorsTensor(string Name, SafetensorsDType DType, long[] Shape, ReadOnlyMemory<byte> Data)
{
    public static SafetensorsTensor FromFloat32(string name, long[] shape, float[] values) =>
        new(name, SafetensorsDType.F32, shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
}
