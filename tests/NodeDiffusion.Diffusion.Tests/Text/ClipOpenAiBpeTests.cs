using System.Text.Json;
using NodeDiffusion.Diffusion.Text;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Diffusion.Tests.Text;

/// <summary>openai's bpe_simple_vocab_16e6.txt.gz, which single-file checkpoint users may have instead of vocab.json/merges.txt.</summary>
public sealed class ClipOpenAiBpeTests
{
    [Fact]
    public void OpenAisBpeFileDerivesTheSameTokenizerAsVocabAndMerges()
    {
        var gz = SharedData.Require("real-data/tokenizer/bpe_simple_vocab_16e6.txt.gz");
        var folder = SharedData.Require("real-data/tokenizer");
        var (vocabulary, merges) = ClipOpenAiBpe.Read(gz);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "vocab.json")));
        var expected = json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(49408, vocabulary.Count);
        Assert.Equal(expected.OrderBy(p => p.Value), vocabulary.OrderBy(p => p.Value));
        Assert.Equal(48894, merges.Count);
        var fromGz = ClipOpenAiBpe.Load(gz);
        var fromHf = ClipTokenizer.Load(folder);
        Assert.Equal(fromHf.EncodeWithSpecialTokens("Hello World!"), fromGz.EncodeWithSpecialTokens("Hello World!"));
        Assert.Equal([49406, 3306, 1002, 256, 49407], fromGz.EncodeWithSpecialTokens("Hello World!"));
    }

    [Fact]
    public void ATruncatedOrForeignFileIsNamed()
    {
        using var dir = new TempDirectory("nd-bpe");
        var plain = dir.Combine("plain.txt.gz");
        File.WriteAllText(plain, "not gzip");
        Assert.Contains("is not a gzip file", Assert.Throws<InvalidDataException>(() => ClipOpenAiBpe.Read(plain)).Message);
        var shortFile = dir.Combine("short.txt.gz");
        using (var gzip = new System.IO.Compression.GZipStream(File.Create(shortFile), System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write("\"bpe_simple_vocab_16e6.txt#version: 0.2\ni n\nt h\n"u8);
        }
        Assert.Contains("has 3 merge lines", Assert.Throws<InvalidDataException>(() => ClipOpenAiBpe.Read(shortFile)).Message);
    }
}
