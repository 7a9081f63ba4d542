namespace NodeDiffusion.Models.Weights;

/// <summary>Parameters already in memory (converted checkpoints, tests).</summary>
public sealed class DictionaryWeightSource(IEnumerable<WeightTensor> tensors, string description) : IWeightSource
{
    private readonly Dictionary<string, WeightTensor> _tensors = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _tensors.Keys;

    public string Description { get; } = description;

    public bool Contains(string name) => _tensors.ContainsKey(name);

    public long[] GetShape(string name) => Get(name).Shape;

    public WeightTensor Read(string name) => Get(name);

    private WeightTensor Get(string name) =>
        _tensors.TryGetValue(name, out var t) ? t : throw new WeightBindingException($"missing weight '{name}' in {Description}");
}
