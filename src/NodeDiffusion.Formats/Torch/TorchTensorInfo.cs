using NodeDiffusion.Formats.Safetensors;

namespace NodeDiffusion.Formats.Torch;

/// <summary>A tensor of a torch zip checkpoint: its storage entry, dtype, offset (elements), size and stride.</summary>
public sealed record TorchTensorInfo(string Name, SafetensorsDType DType, string StorageKey, long StorageElements, long Offset, long[] Shape, long[] Stride)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}
