namespace NodeDiffusion.Models.Runtime;

/// <summary>A dense row-major tensor in host memory, passed to and from model sessions by name.</summary>
public abstract record HostTensor(long[] Shape)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

public sealed record FloatTensor(long[] Shape, float[] Data) : HostTensor(Shape)
{
    public static FloatTensor Zeros(params long[] shape) => new(shape, new float[shape.Aggregate(1L, (a, b) => a * b)]);
}

public sealed record Int64Tensor(long[] Shape, long[] Data) : HostTensor(Shape);
