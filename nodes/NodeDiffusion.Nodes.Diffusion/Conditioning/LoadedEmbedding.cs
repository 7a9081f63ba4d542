using NodeDiffusion.Diffusion.Text;

namespace NodeDiffusion.Nodes.Diffusion.Conditioning;

/// <summary>A textual-inversion embedding with its vectors, [VectorCount, Dimension] row-major.</summary>
public sealed record LoadedEmbedding(string Name, string Path, int VectorCount, int Dimension, float[] Vectors)
    : EmbeddingInfo(Name, Path, VectorCount, Dimension)
{
    public ReadOnlySpan<float> Vector(int index) => Vectors.AsSpan(index * Dimension, Dimension);
}
