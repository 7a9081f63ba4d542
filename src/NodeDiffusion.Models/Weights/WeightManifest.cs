namespace NodeDiffusion.Models.Weights;

/// <summary>A parameter an architecture expects: its name and shape.</summary>
public sealed record ExpectedWeight(string Name, long[] Shape);

/// <summary>
/// A weight source with no data that records what a graph builder asks for. Pass it to any <c>XxxGraph.Build</c> to list
/// the parameters a config needs (e.g. to validate or map a checkpoint before loading gigabytes); the returned model is
/// only a skeleton and must not be run.
/// </summary>
public sealed class WeightManifest : IWeightSource
{
    private readonly List<ExpectedWeight> _expected = [];

    public IReadOnlyList<ExpectedWeight> Expected => _expected;

    public IReadOnlyCollection<string> Names => [];

    public string Description => "weight manifest (no data)";

    public bool Contains(string name) => false;

    public long[] GetShape(string name) => throw new InvalidOperationException("a weight manifest holds no tensors");

    public WeightTensor Read(string name) => throw new InvalidOperationException("a weight manifest holds no tensors");

    internal void Record(string name, long[] shape) => _expected.Add(new ExpectedWeight(name, shape));
}
