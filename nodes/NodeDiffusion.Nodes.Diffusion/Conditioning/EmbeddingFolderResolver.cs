using NodeDiffusion.Diffusion.Text;
using NodeDiffusion.Formats.Embeddings;
using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Nodes.Diffusion.Conditioning;

/// <summary>
/// Resolves <c>embedding:name</c> in models/embeddings (subfolders, extension optional) and loads the vectors. A file whose
/// vectors do not fit the text encoder is an error rather than a silently ignored word.
/// </summary>
internal sealed class EmbeddingFolderResolver(string folder, int dimension) : IEmbeddingResolver
{
    public EmbeddingInfo? Resolve(string name)
    {
        var path = EmbeddingFileLocator.Find([folder], name);
        if (path is null)
        {
            return null;
        }
        TextualInversionEmbedding embedding;
        try
        {
            embedding = TextualInversionEmbedding.Load(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException or NotSupportedException
            or Formats.Safetensors.SafetensorsFormatException or Formats.Torch.TorchFormatException)
        {
            throw new NodeException($"Cannot load embedding \"{Path.GetFileName(path)}\": {e.Message}", e, "text");
        }
        if (embedding.Dimension != dimension)
        {
            throw new NodeException(
                $"The embedding \"{Path.GetFileName(path)}\" has {embedding.Dimension}-dimensional vectors but this text encoder takes {dimension}; it was made for another model.",
                "text");
        }
        return new LoadedEmbedding(name, path, embedding.Vectors, embedding.Dimension, embedding.Data);
    }
}
