using System.Numerics.Tensors;

namespace NodeDiffusion.Models.Weights.Lora;

/// <summary>
/// Base weights with LoRA updates merged in at read time: W' = W + Σ strength · scale · Up·Down (Linear, 1×1 and k×k convs
/// with a 1×1 up projection). Names are unchanged, so the compiled graph is identical apart from the patched initializers.
/// </summary>
public sealed class LoraMergedWeightSource : IWeightSource
{
    private readonly IWeightSource _base;
    private readonly Dictionary<string, List<(LoraModule Module, float Strength)>> _patches = new(StringComparer.Ordinal);

    public LoraMergedWeightSource(IWeightSource baseWeights, IEnumerable<(LoraNetwork Network, float Strength)> networks)
    {
        _base = baseWeights;
        var names = new List<string>();
        foreach (var (network, strength) in networks)
        {
            names.Add($"{network.Source}×{strength}");
            foreach (var module in network.Modules)
            {
                if (!baseWeights.Contains(module.Target))
                {
                    throw new WeightBindingException($"LoRA {network.Source} patches '{module.Target}', which {baseWeights.Description} does not have");
                }
                CheckShapes(network.Source, module, baseWeights.GetShape(module.Target));
                if (!_patches.TryGetValue(module.Target, out var list))
                {
                    _patches[module.Target] = list = [];
                }
                list.Add((module, strength));
            }
        }
        Description = $"{baseWeights.Description} + LoRA [{string.Join(", ", names)}]";
    }

    public IReadOnlyCollection<string> Names => _base.Names;

    public string Description { get; }

    public bool Contains(string name) => _base.Contains(name);

    public long[] GetShape(string name) => _base.GetShape(name);

    public WeightTensor Read(string name)
    {
        var tensor = _base.Read(name);
        if (!_patches.TryGetValue(name, out var patches))
        {
            return tensor;
        }
        var merged = WeightTensor.FromValues(name, tensor.Shape, tensor.Values);
        foreach (var (module, strength) in patches)
        {
            AddProduct(merged.Values, module, strength * module.Scale);
        }
        return merged;
    }

    /// <summary>target[o, :] += factor · Σ_r up[o, r] · down[r, :].</summary>
    private static void AddProduct(Span<float> target, LoraModule module, float factor)
    {
        var rank = (int)module.Rank;
        var outFeatures = (int)module.Up.Shape[0];
        var row = target.Length / outFeatures;
        var up = module.Up.Values;
        var down = module.Down.Values;
        for (var o = 0; o < outFeatures; o++)
        {
            var destination = target.Slice(o * row, row);
            for (var r = 0; r < rank; r++)
            {
                TensorPrimitives.MultiplyAdd(down.Slice(r * row, row), factor * up[(o * rank) + r], destination, destination);
            }
        }
    }

    private static void CheckShapes(string source, LoraModule m, long[] target)
    {
        var up = m.Up.Shape;
        var down = m.Down.Shape;
        var inputs = target.Skip(1).Aggregate(1L, (a, b) => a * b);
        var ok = up.Length >= 2 && down.Length >= 2 && up[1] == down[0] && up[0] == target[0]
            && up.Skip(2).All(d => d == 1)
            && ((down.Length == target.Length && down[1] == target[1] && down.Skip(2).SequenceEqual(target.Skip(2)))
                // A conv update stored flattened, [r, in·kh·kw] (LyCORIS LoHa factors).
                || (down.Length == 2 && down[1] == inputs));
        if (!ok)
        {
            throw new WeightBindingException(
                $"LoRA {source} for '{m.Target}': up [{string.Join(", ", up)}] · down [{string.Join(", ", down)}] does not fit the weight [{string.Join(", ", target)}]");
        }
    }
}
