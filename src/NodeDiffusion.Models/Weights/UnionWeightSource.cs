namespace NodeDiffusion.Models.Weights;

/// <summary>Several weight sources seen as one (a UNet plus an adapter, a ControlNet plus its base). Names must not repeat.</summary>
public sealed class UnionWeightSource : IWeightSource
{
    private readonly Dictionary<string, IWeightSource> _owner = new(StringComparer.Ordinal);

    public UnionWeightSource(params IWeightSource[] sources)
    {
        Description = string.Join(" + ", sources.Select(s => s.Description));
        foreach (var source in sources)
        {
            foreach (var name in source.Names)
            {
                if (_owner.TryGetValue(name, out var other))
                {
                    throw new WeightBindingException($"weight '{name}' is in both {other.Description} and {source.Description}");
                }
                _owner.Add(name, source);
            }
        }
    }

    public IReadOnlyCollection<string> Names => _owner.Keys;

    public string Description { get; }

    public bool Contains(string name) => _owner.ContainsKey(name);

    public long[] GetShape(string name) => Owner(name).GetShape(name);

    public WeightTensor Read(string name) => Owner(name).Read(name);

    private IWeightSource Owner(string name) =>
        _owner.TryGetValue(name, out var source) ? source : throw new WeightBindingException($"missing weight '{name}' in {Description}");
}
