namespace NodeDiffusion.Formats.Safetensors;

/// <summary>One tensor's header entry. Begin/End are byte offsets relative to the start of the data section.</summary>
public sealed record SafetensorsTensorInfo(string Name, SafetensorsDType DType, long[] Shape, long Begin, long End)
{
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var d in Shape)
            {
                count *= d;
            }
            return count;
        }
    }

    public long ByteLength => End - Begin;

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
