namespace NodeDiffusion.Diffusion.Text;

/// <summary>
/// A textual-inversion embedding found by an <see cref="IEmbeddingResolver"/>: <see cref="VectorCount"/> token vectors of
/// <see cref="Dimension"/> floats. The encoder loads the vectors by <see cref="Identity"/>; a resolver may derive from this
/// record to carry them along.
/// </summary>
/// <param name="Name">The name as written in the prompt (after <c>embedding:</c>).</param>
/// <param name="Identity">What identifies the vectors, e.g. the resolved file path or a content hash.</param>
public record EmbeddingInfo(string Name, string Identity, int VectorCount, int Dimension)
{
    public int VectorCount { get; } = VectorCount > 0
        ? VectorCount
        : throw new ArgumentOutOfRangeException(nameof(VectorCount), VectorCount, "An embedding has at least one vector.");

    public int Dimension { get; } = Dimension > 0
        ? Dimension
        : throw new ArgumentOutOfRangeException(nameof(Dimension), Dimension, "An embedding vector has at least one component.");
}
