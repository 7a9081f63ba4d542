using NodeDiffusion.Diffusion.Text;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Diffusion.Tests.Text;

public sealed class ClipTokenizerTests
{
    [Fact]
    public void Sd1SpecialTokensComeFromTheVocabulary()
    {
        var tokenizer = Sd1Tokenizer.Get();

        Assert.Equal(49406, tokenizer.BosId);
        Assert.Equal(49407, tokenizer.EosId);
        Assert.Equal(49407, tokenizer.PadId);
        Assert.Equal(49408, tokenizer.VocabularySize);
    }

    [Fact]
    public void DesignNoteExampleEncodes() =>
        Assert.Equal([320, 1125, 539, 320, 2368], Sd1Tokenizer.Get().Encode("a photo of a cat"));

    [Fact]
    public void SpecialTokenTextInThePromptBecomesTheSpecialId() =>
        Assert.Equal([2368, 49407, 1929], Sd1Tokenizer.Get().Encode("cat<|endoftext|>dog"));

    [Fact]
    public void DecomposedAccentsEncodeLikeComposedOnes() =>
        Assert.Equal(Sd1Tokenizer.Get().Encode("caf\u00E9 cr\u00E8me"), Sd1Tokenizer.Get().Encode("cafe\u0301 cre\u0300me"));

    [Fact]
    public void RepeatedEncodingIsStable()
    {
        var tokenizer = Sd1Tokenizer.Get();
        var first = tokenizer.Encode("masterpiece, best quality, highly detailed");

        Assert.Equal(first, tokenizer.Encode("masterpiece, best quality, highly detailed"));
        Assert.Equal("masterpiece, best quality, highly detailed", tokenizer.Decode(first));
    }

    [Fact]
    public void BasicTokenizerCleaningSplitsIdeographsAndDropsControls()
    {
        var fast = Sd1Tokenizer.Get();
        var basic = Sd1Tokenizer.GetBasic();

        Assert.Equal([.. fast.Encode("\u751F"), .. fast.Encode("\u6D3B")], basic.Encode("\u751F\u6D3B"));
        Assert.NotEqual(fast.Encode("\u751F\u6D3B"), basic.Encode("\u751F\u6D3B"));
        Assert.Equal(fast.Encode("1 2"), basic.Encode("1\u00002"));
    }

    [Fact]
    public void PromptTokenizerWithRealVocabularyWeightsTokens()
    {
        var chunk = new PromptTokenizer(Sd1Tokenizer.Get()).Tokenize("a photo of a (cat:1.3)").Chunks[0];

        Assert.Equal([49406, 320, 1125, 539, 320, 2368, 49407, 49407], chunk.Ids[..8]);
        Assert.Equal([1f, 1f, 1f, 1f, 1f, 1.3f, 1f, 1f], chunk.Weights[..8]);
        Assert.Equal("cat</w>", chunk.Texts[5]);
    }

    [Fact]
    public void MissingFolderNamesTheFolder()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => ClipTokenizer.Load("/nonexistent/tokenizer"));
        Assert.Contains("/nonexistent/tokenizer", error.Message);
    }

    [Fact]
    public void MissingVocabularyNamesTheFile()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("merges.txt"), "#version: 0.2\na b\n");

        var error = Assert.Throws<FileNotFoundException>(() => ClipTokenizer.Load(dir.Path));

        Assert.Contains(dir.Combine("vocab.json"), error.Message);
        Assert.Contains("vocab.json", error.Message);
    }

    [Fact]
    public void MissingMergesNamesTheFile()
    {
        using var dir = new TempDirectory();
        WriteMinimalVocabulary(dir);

        var error = Assert.Throws<FileNotFoundException>(() => ClipTokenizer.Load(dir.Path));

        Assert.Contains(dir.Combine("merges.txt"), error.Message);
    }

    [Theory]
    [InlineData("#version: 0.2\na b\nabc\n", 3)]
    [InlineData("#version: 0.2\na b c\n", 2)]
    [InlineData("a  b\n", 1)]
    public void MalformedMergesNameTheFileAndLine(string merges, int badLine)
    {
        using var dir = new TempDirectory();
        WriteMinimalVocabulary(dir);
        File.WriteAllText(dir.Combine("merges.txt"), merges);

        var error = Assert.Throws<InvalidDataException>(() => ClipTokenizer.Load(dir.Path));

        Assert.Contains(dir.Combine("merges.txt"), error.Message);
        Assert.Contains($"line {badLine}", error.Message);
    }

    [Fact]
    public void MergesWithoutPairsAreRejected()
    {
        using var dir = new TempDirectory();
        WriteMinimalVocabulary(dir);
        File.WriteAllText(dir.Combine("merges.txt"), "#version: 0.2\n");

        var error = Assert.Throws<InvalidDataException>(() => ClipTokenizer.Load(dir.Path));

        Assert.Contains("no merges", error.Message);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("{\"a\": \"x\"}")]
    [InlineData("not json")]
    public void MalformedVocabularyNamesTheFile(string json)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("vocab.json"), json);
        File.WriteAllText(dir.Combine("merges.txt"), "a b\n");

        var error = Assert.Throws<InvalidDataException>(() => ClipTokenizer.Load(dir.Path));

        Assert.Contains(dir.Combine("vocab.json"), error.Message);
    }

    [Fact]
    public void VocabularyWithoutSpecialTokensIsRejected()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("vocab.json"), "{\"a</w>\": 0}");
        File.WriteAllText(dir.Combine("merges.txt"), "a b\n");

        var error = Assert.Throws<InvalidDataException>(() => ClipTokenizer.Load(dir.Path));

        Assert.Contains("<|startoftext|>", error.Message);
        Assert.Contains(dir.Combine("vocab.json"), error.Message);
    }

    [Fact]
    public void UnknownSymbolsBecomeTheUnknownToken()
    {
        var tokenizer = new ClipTokenizer(
            new Dictionary<string, int> { ["a</w>"] = 0, ["<|startoftext|>"] = 1, ["<|endoftext|>"] = 2 }, []);

        Assert.Equal([0, 2], tokenizer.Encode("a b"));
    }

    private static void WriteMinimalVocabulary(TempDirectory dir) =>
        File.WriteAllText(dir.Combine("vocab.json"), "{\"a\": 0, \"<|startoftext|>\": 1, \"<|endoftext|>\": 2}");
}
