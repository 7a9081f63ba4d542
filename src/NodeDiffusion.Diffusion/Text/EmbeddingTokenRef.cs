namespace NodeDiffusion.Diffusion.Text;

/// <summary>A token position filled by row <paramref name="VectorIndex"/> of an embedding instead of a vocabulary entry.</summary>
public sealed record EmbeddingTokenRef(EmbeddingInfo Embedding, int VectorIndex)
{
    public override string ToString() => $"<embedding:{Embedding.Name}#{VectorIndex}>";
}
