using System.Text.Json.Nodes;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Cli.Tests;

public sealed class TokenizeCommandTests : IDisposable
{
    private readonly TempDirectory _work = new("nd-tokenize");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task PrintsIdsChunksAndWeights()
    {
        var tokenizer = SharedData.Require("real-data/tokenizer");
        var result = await CliProcess.RunAsync(_work.Path, "tokenize", "--vocab", Path.Combine(tokenizer, "vocab.json"),
            "--merges", Path.Combine(tokenizer, "merges.txt"), "--json", "a (photo:1.3) of a cat");
        Assert.True(result.ExitCode == 0, result.StandardError);
        var output = JsonNode.Parse(result.StandardOutput)!;
        Assert.Equal(5, output["prompt_tokens"]!.GetValue<int>());
        var chunk = output["chunks"]![0]!;
        Assert.Equal([49406, 320, 1125, 539, 320, 2368, 49407], chunk["ids"]!.AsArray().Take(7).Select(n => n!.GetValue<int>()));
        Assert.Equal(1.3f, chunk["weights"]![2]!.GetValue<float>(), 1e-6f);
        Assert.Equal(77, chunk["ids"]!.AsArray().Count);
    }

    [Fact]
    public async Task LongPromptsSplitIntoChunksOf75()
    {
        var tokenizer = SharedData.Require("real-data/tokenizer");
        var prompt = string.Join(' ', Enumerable.Repeat("cat", 100));
        var result = await CliProcess.RunAsync(_work.Path, "tokenize", "--vocab", Path.Combine(tokenizer, "vocab.json"),
            "--merges", Path.Combine(tokenizer, "merges.txt"), "--json", prompt);
        Assert.Equal(2, JsonNode.Parse(result.StandardOutput)!["chunks"]!.AsArray().Count);
    }

    [Fact]
    public async Task AMissingTokenizerIsAClearErrorWithExitTwo()
    {
        var result = await CliProcess.RunAsync(_work.Path, "tokenize", "--model", "nope", "cat");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.StandardError, StringComparison.Ordinal);
        var traversal = await CliProcess.RunAsync(_work.Path, "tokenize", "--model", "../../etc", "cat");
        Assert.Equal(2, traversal.ExitCode);
    }
}
