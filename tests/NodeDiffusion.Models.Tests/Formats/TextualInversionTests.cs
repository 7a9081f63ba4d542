using NodeDiffusion.Formats.Embeddings;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Models.Tests.Formats;

public sealed class TextualInversionTests
{
    [Theory]
    [InlineData("bad-hands-5.pt", null, 2)]
    [InlineData("bad_prompt_version2.pt", null, 8)]
    [InlineData("eyeliner2.pt", null, 3)]
    [InlineData("EasyNegative.safetensors", null, 8)]
    [InlineData("birb-style_learned_embeds.bin", "<birb-style>", 1)]
    public void RealEmbeddingFilesLoad(string file, string? token, int vectors)
    {
        var embedding = TextualInversionEmbedding.Load(SharedData.Require("real-data/embeddings/" + file));
        Assert.Equal(token, embedding.Token);
        Assert.Equal(vectors, embedding.Vectors);
        Assert.Equal(768, embedding.Dimension);
        Assert.Equal(vectors * 768, embedding.Data.Length);
        Assert.All(embedding.Data, v => Assert.True(float.IsFinite(v)));
        Assert.Contains(embedding.Data, v => v != 0);
    }
}
