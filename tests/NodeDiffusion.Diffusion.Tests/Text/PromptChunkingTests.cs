using NodeDiffusion.Diffusion.Text;

namespace NodeDiffusion.Diffusion.Tests.Text;

public sealed class PromptChunkingTests
{
    private static readonly PromptTokenizer Comfy = new(TinyClip.Tokenizer);

    [Fact]
    public void EmptyPromptIsOneChunkOfBosEosAndPadding()
    {
        var result = Comfy.Tokenize("");

        var chunk = Assert.Single(result.Chunks);
        Assert.Equal([TinyClip.Bos, .. Enumerable.Repeat(TinyClip.Eos, 76)], chunk.Ids);
        Assert.All(chunk.Weights, w => Assert.Equal(1f, w));
        Assert.All(chunk.Embeddings, Assert.Null);
        Assert.Equal(0, result.ContentTokenCount);
        Assert.False(result.HasWeights);
    }

    [Fact]
    public void EmptyChunkMatchesTheEmptyPrompt() =>
        Assert.Equal(Comfy.Tokenize("").Chunks[0].Ids, Comfy.EmptyChunk().Ids);

    [Fact]
    public void SeventyFiveTokensFillOneChunk()
    {
        var result = Comfy.Tokenize(Words(75));

        var chunk = Assert.Single(result.Chunks);
        Assert.Equal(77, chunk.Length);
        Assert.Equal(TinyClip.Bos, chunk.Ids[0]);
        Assert.All(chunk.Ids[1..76], id => Assert.Equal(TinyClip.WordEndId('a'), id));
        Assert.Equal(TinyClip.Eos, chunk.Ids[76]);
    }

    [Fact]
    public void SeventySixTokensSpillOneTokenIntoASecondChunk()
    {
        var result = Comfy.Tokenize(Words(76));

        Assert.Equal(2, result.Chunks.Count);
        Assert.Equal(75, result.Chunks[0].ContentTokenCount);
        Assert.Equal(1, result.Chunks[1].ContentTokenCount);
        Assert.Equal([TinyClip.Bos, TinyClip.WordEndId('a'), .. Enumerable.Repeat(TinyClip.Eos, 75)], result.Chunks[1].Ids);
    }

    [Fact]
    public void SevenTokenGroupThatDoesNotFitMovesWholeToTheNextChunk()
    {
        // 70 tokens, then a weighted group of 7 tokens: 77 > 75, and a group shorter than 8 is not split.
        var result = Comfy.Tokenize(Words(70) + " (bcdefgh:1.2)");

        Assert.Equal(2, result.Chunks.Count);
        var first = result.Chunks[0];
        Assert.Equal(70, first.ContentTokenCount);
        Assert.All(first.Ids[71..], id => Assert.Equal(TinyClip.Eos, id));
        Assert.All(first.Weights, w => Assert.Equal(1f, w));
        var second = result.Chunks[1];
        Assert.Equal(7, second.ContentTokenCount);
        Assert.Equal(Letters("bcdefgh"), second.Ids[1..8]);
        Assert.All(second.Weights[1..8], w => Assert.Equal(1.2f, w));
        Assert.Equal(1f, second.Weights[8]);
    }

    [Fact]
    public void EightTokenGroupIsSplitAcrossTheBoundary()
    {
        var result = Comfy.Tokenize(Words(70) + " (bcdefghi:1.2)");

        Assert.Equal(2, result.Chunks.Count);
        var first = result.Chunks[0];
        Assert.Equal(75, first.ContentTokenCount);
        Assert.Equal(Letters("bcdefghi")[..5], first.Ids[71..76]);
        Assert.All(first.Weights[71..76], w => Assert.Equal(1.2f, w));
        Assert.Equal(TinyClip.Eos, first.Ids[76]);
        Assert.Equal(1f, first.Weights[76]);
        var second = result.Chunks[1];
        Assert.Equal(3, second.ContentTokenCount);
        Assert.Equal(Letters("bcdefghi")[5..], second.Ids[1..4]);
    }

    [Fact]
    public void HundredSixtyTokensMakeThreeChunks()
    {
        var result = Comfy.Tokenize(Words(160));

        Assert.Equal(3, result.Chunks.Count);
        Assert.Equal([75, 75, 10], result.Chunks.Select(c => c.ContentTokenCount));
        Assert.All(result.Chunks, c => Assert.Equal(77, c.Length));
        Assert.All(result.Chunks, c => Assert.Equal(TinyClip.Bos, c.Ids[0]));
        Assert.Equal(3 * 77, result.AllIds().Length);
    }

    [Fact]
    public void GroupIdsNumberTheWeightedSegments()
    {
        var chunk = Comfy.Tokenize("ab (c) d").Chunks[0];

        // Segments "ab ", "c", " d" → groups 1, 2, 3; BOS/EOS/padding are group 0.
        Assert.Equal([0, 1, 1, 2, 3, 0, 0], chunk.GroupIds[..7]);
        Assert.Equal(["<|startoftext|>", "a", "b</w>", "c</w>", "d</w>", "<|endoftext|>"], chunk.Texts[..6]);
        Assert.Equal([1f, 1f, 1f, 1.1f, 1f, 1f], chunk.Weights[..6]);
    }

    [Fact]
    public void A1111BreakClosesTheChunk()
    {
        var tokenizer = new PromptTokenizer(TinyClip.Tokenizer, PromptTokenizerOptions.A1111());

        var result = tokenizer.Tokenize("a [b] BREAK c");

        Assert.Equal(2, result.Chunks.Count);
        Assert.Equal([TinyClip.Bos, TinyClip.WordEndId('a'), TinyClip.WordEndId('b'), TinyClip.Eos], result.Chunks[0].Ids[..4]);
        Assert.Equal((float)(1 / 1.1), result.Chunks[0].Weights[2]);
        Assert.Equal([TinyClip.Bos, TinyClip.WordEndId('c'), TinyClip.Eos], result.Chunks[1].Ids[..3]);
        Assert.Equal(TokenWeightingMethod.MultiplyRestoringMean, result.Weighting);
    }

    [Fact]
    public void A1111SquareBracketsAreLiteralInComfyMode()
    {
        var chunk = Comfy.Tokenize("[b]").Chunks[0];

        Assert.Equal(["[</w>", "b</w>", "]</w>"], chunk.Texts[1..4]);
        Assert.All(chunk.Weights, w => Assert.Equal(1f, w));
    }

    [Fact]
    public void PaddingIdCanBeZeroLikeOpenClip()
    {
        var tokenizer = new PromptTokenizer(TinyClip.Tokenizer, new PromptTokenizerOptions { PadTokenId = 0 });

        var chunk = tokenizer.Tokenize("a").Chunks[0];

        Assert.Equal([TinyClip.Bos, TinyClip.WordEndId('a'), TinyClip.Eos, 0, 0], chunk.Ids[..5]);
        Assert.Equal([TinyClip.Bos, TinyClip.Eos, 0], tokenizer.EmptyChunk().Ids[..3]);
    }

    [Fact]
    public void EmptyPromptEncodingIsNeededOnlyForComfyWeights()
    {
        Assert.True(Comfy.Tokenize("(a)").NeedsEmptyPromptEncoding);
        Assert.False(Comfy.Tokenize("a").NeedsEmptyPromptEncoding);
        Assert.False(new PromptTokenizer(TinyClip.Tokenizer, PromptTokenizerOptions.A1111()).Tokenize("(a)").NeedsEmptyPromptEncoding);
    }

    [Fact]
    public void SplittableLengthCannotExceedTheChunk() =>
        Assert.Throws<ArgumentException>(() =>
            new PromptTokenizer(TinyClip.Tokenizer, new PromptTokenizerOptions { ChunkLength = 9, MinSplittableGroupLength = 8 }));

    [Fact]
    public void FormatListsTokensAndSummarisesPadding()
    {
        var text = Comfy.Tokenize("(a:1.5)").Format();

        Assert.Contains("1 chunk(s), 1 prompt token(s)", text);
        Assert.Contains("   1    " + TinyClip.WordEndId('a') + "      1.5 a</w>", text);
        Assert.Contains("3..76 padding 49407", text);
    }

    private static string Words(int count) => string.Join(' ', Enumerable.Repeat("a", count));

    private static int[] Letters(string word) =>
        [.. word[..^1].Select(TinyClip.InnerId), TinyClip.WordEndId(word[^1])];
}
