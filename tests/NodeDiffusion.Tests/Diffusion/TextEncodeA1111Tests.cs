using Microsoft.Extensions.Logging.Abstractions;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Conditioning;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;
using NodeDiffusion.Tests.Support;

namespace NodeDiffusion.Tests.Diffusion;

/// <summary>TextEncodeA1111 on the demo CLIP against a direct computation of A1111's emphasis (z·w, then the chunk mean restored)
/// from the unweighted ComfyUI encoding of the same tokens.</summary>
public sealed class TextEncodeA1111Tests(DemoPipelineFixture demo) : IClassFixture<DemoPipelineFixture>
{
    private async Task<float[]> Encode(string text, string? emphasis)
    {
        demo.NewHost(); // writes the demo checkpoint on first use
        using var models = new DiffusionModels(demo.Settings.Roots, NullLoggerFactory.Instance);
        var context = new BareNodeContext(new NodeServices().Add(models));
        var clip = new ClipHandle(models.Resolve("nodediffusion-demo"));
        var result = emphasis is null
            ? await new TextEncode().ExecuteAsync(new TextEncode.In(text, clip), context)
            : await new TextEncodeA1111().ExecuteAsync(new TextEncodeA1111.In(text, clip, emphasis), context);
        return Assert.Single(result.Conditioning.Entries).Embeddings;
    }

    private int WeightedTokenCount()
    {
        using var models = new DiffusionModels(demo.Settings.Roots, NullLoggerFactory.Instance);
        var count = models.Tokenizer(models.Open(models.Resolve("nodediffusion-demo"))).Encode("a cat").Length;
        Assert.InRange(count, 2, 10);
        return count;
    }

    [Fact]
    public async Task UnweightedPromptsEncodeAsComfyUiDoes()
    {
        Assert.Equal(await Encode("a cat on a mat", null), await Encode("a cat on a mat", "mean restored"));
    }

    [Theory]
    [InlineData("(a cat:1.3) on a mat", 1.3, "mean restored")]
    [InlineData("[a cat] on a mat", 1 / 1.1, "mean restored")]
    [InlineData("((a cat)) on a mat", 1.21, "no norm")]
    [InlineData("(a cat:1.3) on a mat", 1.3, "no norm")]
    [InlineData("((a cat)) on a mat", 1.21, "mean restored")]
    public async Task EmphasisMultipliesTokensAndRestoresTheChunkMean(string prompt, double weight, string emphasis)
    {
        var plain = await Encode("a cat on a mat", null);
        var weighted = await Encode(prompt, emphasis);
        Assert.Equal(plain.Length, weighted.Length);
        var dim = plain.Length / 77;
        var weightedTokens = WeightedTokenCount();
        // After BOS come the tokens of "a cat" (several with the demo's small vocabulary).
        var expected = plain.Select((v, i) => i / dim >= 1 && i / dim <= weightedTokens ? v * weight : v).ToArray();
        if (emphasis == "mean restored")
        {
            // The demo CLIP's last LayerNorm has unit weight and zero bias, so every token's mean is 0 and the chunk mean is
            // float noise (~1e-9): the restoring factor is then arbitrary. What stays checkable is the structure — one global
            // factor c on z·w — and that the mean is restored.
            var c = weighted.Zip(expected, (a, b) => a * b).Sum() / expected.Sum(v => v * v);
            expected = expected.Select(v => v * c).ToArray();
            Assert.Equal(plain.Select(v => (double)v).Average(), weighted.Select(v => (double)v).Average(), 1e-6);
        }
        for (var i = 0; i < plain.Length; i++)
        {
            Assert.Equal(expected[i], weighted[i], 1e-4);
        }
        Assert.NotEqual(plain, weighted);
    }
}
