using NodeDiffusion.Diffusion.Text;

namespace NodeDiffusion.Diffusion.Tests.Text;

public sealed class PromptEmbeddingTests
{
    private static readonly PromptTokenizer Comfy = new(TinyClip.Tokenizer, new PromptTokenizerOptions { EmbeddingDimension = 768 });

    private sealed class DictionaryResolver(params EmbeddingInfo[] embeddings) : IEmbeddingResolver
    {
        public List<string> Requests { get; } = [];

        public EmbeddingInfo? Resolve(string name)
        {
            Requests.Add(name);
            return embeddings.FirstOrDefault(e => e.Name == name);
        }
    }

    private static readonly EmbeddingInfo Foo = new("foo", "/embeddings/foo.safetensors", 2, 768);

    [Fact]
    public void EmbeddingAtPromptStartBecomesItsVectors()
    {
        var chunk = Comfy.Tokenize("embedding:foo a", new DictionaryResolver(Foo)).Chunks[0];

        Assert.Equal([TinyClip.Bos, TokenChunk.EmbeddingPlaceholderId, TokenChunk.EmbeddingPlaceholderId, TinyClip.WordEndId('a'), TinyClip.Eos], chunk.Ids[..5]);
        Assert.Equal(new EmbeddingTokenRef(Foo, 0), chunk.Embeddings[1]);
        Assert.Equal(new EmbeddingTokenRef(Foo, 1), chunk.Embeddings[2]);
        Assert.Null(chunk.Embeddings[3]);
        Assert.Equal("<embedding:foo#1>", chunk.Texts[2]);
        Assert.Equal([0, 1, 1, 2, 0], chunk.GroupIds[..5]);
    }

    [Fact]
    public void EmbeddingAfterWhitespaceOrNewlineIsRecognised()
    {
        var resolver = new DictionaryResolver(Foo);

        var spaced = Comfy.Tokenize("a embedding:foo", resolver).Chunks[0];
        var newline = Comfy.Tokenize("a\nembedding:foo", resolver).Chunks[0];
        var separator = Comfy.Tokenize("a\u001Cembedding:foo", resolver).Chunks[0];

        Assert.Equal(spaced.Ids, newline.Ids);
        Assert.Equal(TinyClip.WordEndId('a'), separator.Ids[1]);
        Assert.Equal(-1, separator.Ids[3]);
        Assert.Equal([TinyClip.Bos, TinyClip.WordEndId('a'), -1, -1, TinyClip.Eos], spaced.Ids[..5]);
    }

    [Fact]
    public void PrefixGluedToAWordIsPlainText()
    {
        var resolver = new DictionaryResolver(Foo);

        var result = Comfy.Tokenize("a,embedding:foo", resolver);

        Assert.Empty(resolver.Requests);
        Assert.False(result.HasEmbeddings);
        Assert.Equal(TinyClip.Tokenizer.Encode("a,embedding:foo"), result.Chunks[0].Ids[1..16]);
    }

    [Fact]
    public void WeightedEmbeddingCarriesTheWeight()
    {
        var result = Comfy.Tokenize("(embedding:foo:1.2), a", new DictionaryResolver(Foo));

        var chunk = result.Chunks[0];
        Assert.Equal([1f, 1.2f, 1.2f, 1f, 1f, 1f], chunk.Weights[..6]);
        Assert.True(result.HasWeights);
        Assert.Equal([",</w>", "a</w>"], chunk.Texts[3..5]);
    }

    [Fact]
    public void TrailingCommaIsStrippedAndTokenized()
    {
        var resolver = new DictionaryResolver(Foo);

        var chunk = Comfy.Tokenize("embedding:foo, a", resolver).Chunks[0];

        Assert.Equal(["foo,", "foo"], resolver.Requests);
        Assert.Equal(Foo, chunk.Embeddings[1]?.Embedding);
        Assert.Equal([",</w>", "a</w>", "<|endoftext|>"], chunk.Texts[3..6]);
    }

    [Fact]
    public void NameEndsAtAngleOrSquareBracket()
    {
        var resolver = new DictionaryResolver(Foo);

        var chunk = Comfy.Tokenize("embedding:foo[b]", resolver).Chunks[0];

        Assert.Equal(["foo"], resolver.Requests);
        Assert.Equal(["[</w>", "b</w>", "]</w>"], chunk.Texts[3..6]);
    }

    [Fact]
    public void MissingEmbeddingWarnsAndIsDroppedButFollowingTextStays()
    {
        var result = Comfy.Tokenize("embedding:nope b", new DictionaryResolver(Foo));

        var warning = Assert.Single(result.Warnings);
        Assert.Contains("embedding not found", warning);
        Assert.Contains("nope", warning);
        Assert.Equal([TinyClip.Bos, TinyClip.WordEndId('b'), TinyClip.Eos], result.Chunks[0].Ids[..3]);
    }

    [Fact]
    public void WithoutResolverEveryEmbeddingIsMissing()
    {
        var result = Comfy.Tokenize("embedding:foo");

        Assert.Single(result.Warnings);
        Assert.Equal(0, result.ContentTokenCount);
    }

    [Fact]
    public void EmbeddingOfTheWrongDimensionIsIgnored()
    {
        var wide = new EmbeddingInfo("wide", "wide.pt", 1, 1024);

        var result = Comfy.Tokenize("embedding:wide", new DictionaryResolver(wide));

        Assert.Contains("1024", Assert.Single(result.Warnings));
        Assert.False(result.HasEmbeddings);
    }

    [Fact]
    public void LongEmbeddingSplitsAcrossChunksLikeAnyLargeGroup()
    {
        var big = new EmbeddingInfo("big", "big.pt", 8, 768);
        var prompt = string.Join(' ', Enumerable.Repeat("a", 70)) + " embedding:big";

        var result = Comfy.Tokenize(prompt, new DictionaryResolver(big));

        Assert.Equal(2, result.Chunks.Count);
        Assert.Equal([0, 1, 2, 3, 4], result.Chunks[0].Embeddings[71..76].Select(e => e!.VectorIndex));
        Assert.Equal([5, 6, 7], result.Chunks[1].Embeddings[1..4].Select(e => e!.VectorIndex));
    }

    [Fact]
    public void ShortEmbeddingThatDoesNotFitMovesToTheNextChunk()
    {
        var seven = new EmbeddingInfo("seven", "seven.pt", 7, 768);
        var prompt = string.Join(' ', Enumerable.Repeat("a", 70)) + " embedding:seven";

        var result = Comfy.Tokenize(prompt, new DictionaryResolver(seven));

        Assert.Equal(2, result.Chunks.Count);
        Assert.False(result.Chunks[0].HasEmbeddings);
        Assert.Equal(7, result.Chunks[1].Embeddings.Count(e => e is not null));
    }

    [Fact]
    public void EmbeddingInfoRejectsEmptyShapes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmbeddingInfo("x", "x", 0, 768));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmbeddingInfo("x", "x", 1, 0));
    }
}
