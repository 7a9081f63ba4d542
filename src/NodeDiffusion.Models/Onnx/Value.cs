namespace NodeDiffusion.Models.Onnx;

/// <summary>
/// A tensor in a graph under construction. Shape entries are sizes, or -1 where the size is only known at run time;
/// Shape is null where the rank is not tracked.
/// </summary>
public sealed record Value(string Name, ElementType Type, long[]? Shape = null)
{
    public int? Rank => Shape?.Length;

    public override string ToString() => Shape is null ? $"{Name}:{Type}" : $"{Name}:{Type}[{string.Join(",", Shape)}]";
}
