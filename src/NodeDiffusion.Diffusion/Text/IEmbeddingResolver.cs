namespace NodeDiffusion.Diffusion.Text;

/// <summary>Finds the textual-inversion embedding a prompt names with <c>embedding:name</c>.</summary>
public interface IEmbeddingResolver
{
    /// <summary>
    /// The embedding called <paramref name="name"/> (as written, extension optional), or null when there is none.
    /// Implementations must refuse names that leave the embeddings folder.
    /// </summary>
    EmbeddingInfo? Resolve(string name);
}
