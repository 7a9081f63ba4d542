using System.Text.Json;
using NodeDiffusion.Diffusion.Text;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Diffusion.Tests.Text;

public sealed class ClipTokenizerVectorTests
{
    private const string VectorsFile = "real-data/tokenizer/clip_tokenizer_test_vectors.json";
    private const string AbsentMarker = "(vectors file absent)";

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        var path = Path.Combine(SharedData.Root, VectorsFile);
        if (!File.Exists(path))
        {
            data.Add(AbsentMarker);
            return data;
        }
        foreach (var vector in LoadVectors(path))
        {
            data.Add(vector.Name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void EncodesLikeHuggingFace(string caseName)
    {
        var vector = FindCase(caseName);
        var tokenizer = Sd1Tokenizer.Get();

        var ids = tokenizer.EncodeWithSpecialTokens(vector.Text);

        Assert.Equal(vector.Ids, ids);
        if (vector.Tokens is not null)
        {
            Assert.Equal(vector.Tokens, ids[1..^1].Select(tokenizer.TokenToString).ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void DecodesLikeHuggingFace(string caseName)
    {
        var vector = FindCase(caseName);
        var tokenizer = Sd1Tokenizer.Get();
        if (vector.Decoded is null)
        {
            Assert.Equal("OPENAI_NOTEBOOK_HELLO_WORLD_BANG", vector.Name);
            Assert.Equal("<|startoftext|>hello world! <|endoftext|>", tokenizer.Decode(vector.Ids));
            return;
        }

        Assert.Equal(vector.Decoded, tokenizer.Decode(vector.Ids));
    }

    [Fact]
    public void VectorsFileHoldsAllTwentySixCases()
    {
        var path = SharedData.Require(VectorsFile);
        Assert.Equal(26, LoadVectors(path).Count);
    }

    private static Vector FindCase(string caseName)
    {
        var path = SharedData.Require(VectorsFile);
        Assert.NotEqual(AbsentMarker, caseName);
        return LoadVectors(path).Single(v => v.Name == caseName);
    }

    private static List<Vector> LoadVectors(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var vectors = new List<Vector>();
        foreach (var group in new[] { "cases", "extra_cases" })
        {
            if (!document.RootElement.TryGetProperty(group, out var cases))
            {
                continue;
            }
            foreach (var item in cases.EnumerateArray())
            {
                vectors.Add(new Vector(
                    item.GetProperty("name").GetString()!,
                    item.GetProperty("text").GetString()!,
                    item.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                    item.TryGetProperty("tokens", out var tokens) ? tokens.EnumerateArray().Select(e => e.GetString()!).ToArray() : null,
                    item.TryGetProperty("decoded", out var decoded) ? decoded.GetString() : null));
            }
        }
        return vectors;
    }

    private sealed record Vector(string Name, string Text, int[] Ids, string[]? Tokens, string? Decoded);
}
