namespace NodeDiffusion.Models.Onnx;

/// <summary>A graph input dimension: a fixed size or a named symbolic one (e.g. "batch").</summary>
public readonly record struct Dim(long Size, string? Symbol)
{
    public static implicit operator Dim(long size) => new(size, null);

    public static implicit operator Dim(string symbol) => new(-1, symbol);
}
