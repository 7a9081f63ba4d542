namespace NodeDiffusion.Models.Weights.Ldm;

/// <summary>
/// A view of another weight source under different names (e.g. one component of a single-file checkpoint under its
/// diffusers names). Tensors whose shape differs only by trailing 1s (1×1 conv kernels used as Linear weights) are
/// reshaped to the shape the architecture asks for.
/// </summary>
public sealed class RenamedWeightSource : IWeightSource
{
    private readonly IWeightSource _inner;
    private readonly Dictionary<string, string> _toInner = new(StringComparer.Ordinal);
    private readonly Func<string, bool> _squeeze;

    /// <param name="rename">Maps an inner name to the exposed name, or null to hide the tensor.</param>
    /// <param name="squeezeTrailingOnes">Exposed names whose trailing size-1 dimensions are dropped.</param>
    public RenamedWeightSource(IWeightSource inner, Func<string, string?> rename, Func<string, bool>? squeezeTrailingOnes = null, string? description = null)
    {
        _inner = inner;
        _squeeze = squeezeTrailingOnes ?? (_ => false);
        Description = description ?? inner.Description;
        foreach (var name in inner.Names)
        {
            if (rename(name) is not { } exposed)
            {
                continue;
            }
            if (!_toInner.TryAdd(exposed, name))
            {
                throw new WeightBindingException($"{inner.Description}: both '{_toInner[exposed]}' and '{name}' map to '{exposed}'");
            }
        }
    }

    public IReadOnlyCollection<string> Names => _toInner.Keys;

    public string Description { get; }

    public bool Contains(string name) => _toInner.ContainsKey(name);

    public long[] GetShape(string name) => Shape(name, _inner.GetShape(Inner(name)));

    public WeightTensor Read(string name)
    {
        var tensor = _inner.Read(Inner(name));
        return new WeightTensor(name, Shape(name, tensor.Shape), tensor.Float32Bytes);
    }

    private long[] Shape(string name, long[] shape)
    {
        if (!_squeeze(name))
        {
            return shape;
        }
        var rank = shape.Length;
        while (rank > 2 && shape[rank - 1] == 1)
        {
            rank--;
        }
        return shape[..rank];
    }

    private string Inner(string name) =>
        _toInner.TryGetValue(name, out var inner) ? inner : throw new WeightBindingException($"missing weight '{name}' in {Description}");
}
