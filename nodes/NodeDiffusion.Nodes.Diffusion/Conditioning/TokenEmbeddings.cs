using NodeDiffusion.Diffusion.Text;
using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Nodes.Diffusion.Conditioning;

/// <summary>
/// The text encoder's input rows for a chunk: the token table's row for each vocabulary id, the embedding's vector at
/// each placeholder. Position embeddings are added inside the encoder, as for looked-up tokens.
/// </summary>
internal static class TokenEmbeddings
{
    /// <param name="table">The token embedding table, [vocabulary, dimension] row-major.</param>
    public static float[] Build(TokenChunk chunk, float[] table, int dimension)
    {
        var rows = new float[chunk.Length * dimension];
        for (var i = 0; i < chunk.Length; i++)
        {
            var destination = rows.AsSpan(i * dimension, dimension);
            if (chunk.Embeddings[i] is { } reference)
            {
                var embedding = reference.Embedding as LoadedEmbedding
                    ?? throw new NodeException($"The embedding \"{reference.Embedding.Name}\" was resolved without its vectors.", "text");
                embedding.Vector(reference.VectorIndex).CopyTo(destination);
            }
            else
            {
                table.AsSpan(chunk.Ids[i] * dimension, dimension).CopyTo(destination);
            }
        }
        return rows;
    }
}
