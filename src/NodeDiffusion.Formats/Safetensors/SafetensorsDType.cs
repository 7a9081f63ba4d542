namespace NodeDiffusion.Formats.Safetensors;

/// <summary>Element types of the safetensors format, spelled as in the file header.</summary>
public enum SafetensorsDType
{
    BOOL,
    U8,
    I8,
    F8_E5M2,
    F8_E4M3,
    I16,
    U16,
    F16,
    BF16,
    I32,
    U32,
    F32,
    F64,
    I64,
    U64,
}

public static class SafetensorsDTypes
{
    public static int SizeOf(SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.BOOL or SafetensorsDType.U8 or SafetensorsDType.I8 or SafetensorsDType.F8_E5M2 or SafetensorsDType.F8_E4M3 => 1,
        SafetensorsDType.I16 or SafetensorsDType.U16 or SafetensorsDType.F16 or SafetensorsDType.BF16 => 2,
        SafetensorsDType.I32 or SafetensorsDType.U32 or SafetensorsDType.F32 => 4,
        SafetensorsDType.F64 or SafetensorsDType.I64 or SafetensorsDType.U64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    public static bool TryParse(string text, out SafetensorsDType dtype)
    {
        // Enum.TryParse would also accept numbers and other casings; the header must spell the name exactly.
        foreach (var value in Enum.GetValues<SafetensorsDType>())
        {
            if (string.Equals(value.ToString(), text, StringComparison.Ordinal))
            {
                dtype = value;
                return true;
            }
        }
        dtype = default;
        return false;
    }
}
