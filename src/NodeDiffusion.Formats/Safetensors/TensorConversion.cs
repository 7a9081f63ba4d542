using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace NodeDiffusion.Formats.Safetensors;

/// <summary>Little-endian tensor bytes to float32.</summary>
public static class TensorConversion
{
    public static void ToFloat32(SafetensorsDType dtype, ReadOnlySpan<byte> bytes, Span<float> destination, string source, string name)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors data is little-endian; big-endian hosts are not supported");
        }
        switch (dtype)
        {
            case SafetensorsDType.F32:
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(destination);
                break;
            case SafetensorsDType.F16:
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(bytes), destination);
                break;
            case SafetensorsDType.BF16:
                var raw = MemoryMarshal.Cast<byte, ushort>(bytes);
                for (var i = 0; i < raw.Length; i++)
                {
                    destination[i] = BitConverter.Int32BitsToSingle(raw[i] << 16);
                }
                break;
            case SafetensorsDType.F64:
                TensorPrimitives.ConvertTruncating(MemoryMarshal.Cast<byte, double>(bytes), destination);
                break;
            case SafetensorsDType.I64:
                Convert(MemoryMarshal.Cast<byte, long>(bytes), destination);
                break;
            case SafetensorsDType.I32:
                Convert(MemoryMarshal.Cast<byte, int>(bytes), destination);
                break;
            case SafetensorsDType.U32:
                Convert(MemoryMarshal.Cast<byte, uint>(bytes), destination);
                break;
            case SafetensorsDType.U64:
                Convert(MemoryMarshal.Cast<byte, ulong>(bytes), destination);
                break;
            case SafetensorsDType.I16:
                Convert(MemoryMarshal.Cast<byte, short>(bytes), destination);
                break;
            case SafetensorsDType.U16:
                Convert(MemoryMarshal.Cast<byte, ushort>(bytes), destination);
                break;
            case SafetensorsDType.I8:
                Convert(MemoryMarshal.Cast<byte, sbyte>(bytes), destination);
                break;
            case SafetensorsDType.U8:
            case SafetensorsDType.BOOL:
                Convert(bytes, destination);
                break;
            default:
                throw new NotSupportedException($"{source}: tensor '{name}' has dtype {dtype}, which has no float32 conversion");
        }
    }

    private static void Convert<T>(ReadOnlySpan<T> values, Span<float> destination)
        where T : System.Numerics.INumberBase<T>
    {
        for (var i = 0; i < values.Length; i++)
        {
            destination[i] = float.CreateTruncating(values[i]);
        }
    }
}
