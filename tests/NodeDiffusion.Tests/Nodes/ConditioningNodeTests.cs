using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Nodes.Diffusion.Conditioning;
using NodeDiffusion.Nodes.Diffusion.Control;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Tests.Nodes;

/// <summary>The conditioning nodes' list semantics, checked against ComfyUI's formulas written out here.</summary>
public sealed class ConditioningNodeTests
{
    [Fact]
    public async Task AverageBlendsTokenByTokenPadsAShorterFromWithZerosAndWarnsAboutExtraEntries()
    {
        var to = Entry(tokens: 4, dim: 2, start: 1f);
        var from = Entry(tokens: 2, dim: 2, start: 100f);
        var context = new StubContext();

        var result = await new ConditioningAverage().ExecuteAsync(
            new ConditioningAverage.In(new ConditioningList([to]), new ConditioningList([from, to]), 0.25), context);

        var blended = Assert.Single(result.Conditioning.Entries);
        var expected = to.Embeddings.Select((v, i) => (v * 0.25f) + ((i < from.Embeddings.Length ? from.Embeddings[i] : 0f) * 0.75f)).ToArray();
        Assert.Equal(expected, blended.Embeddings);
        Assert.Equal(to.Pooled.Select((v, i) => (v * 0.25f) + (from.Pooled[i] * 0.75f)), blended.Pooled);
        Assert.Single(context.Warnings);
    }

    [Fact]
    public async Task CombineConcatenatesAndZeroOutKeepsTheOptions()
    {
        var a = Entry(2, 2, 1f);
        var b = Entry(2, 2, 5f) with { Area = ConditioningArea.FromPixels(64, 64, 8, 16), Strength = 0.5 };
        var combined = (await new ConditioningCombine().ExecuteAsync(new ConditioningCombine.In(new ConditioningList([a]), new ConditioningList([b])), new StubContext())).Conditioning;
        Assert.Equal([a, b], combined.Entries);

        var zeroed = (await new ConditioningZeroOut().ExecuteAsync(new ConditioningZeroOut.In(combined), new StubContext())).Conditioning;
        Assert.All(zeroed.Entries, e => Assert.All(e.Embeddings.Concat(e.Pooled), v => Assert.Equal(0f, v)));
        Assert.Equal(b.Area, zeroed.Entries[1].Area);
        Assert.Equal(0.5, zeroed.Entries[1].Strength);
    }

    [Fact]
    public async Task AreaPercentagesResolveWithPythonRoundingAndPixelAreasInLatentCells()
    {
        var percent = (await new ConditioningSetAreaPercentage().ExecuteAsync(
            new ConditioningSetAreaPercentage.In(new ConditioningList([Entry(1, 1, 0f)]), Width: 0.125, Height: 0.25, X: 0.25, Y: 0.5, Strength: 2), new StubContext())).Conditioning.Entries[0];
        // round(0.125·20) = round(2.5) = 2 (half to even); round(0.25·20) = 5.
        Assert.Equal((4, 2, 8, 5), percent.Area!.Resolve(16, 20));
        Assert.Equal(2.0, percent.Strength);

        var pixels = (await new ConditioningSetArea().ExecuteAsync(
            new ConditioningSetArea.In(new ConditioningList([Entry(1, 1, 0f)]), Width: 96, Height: 64, X: 120, Y: 8, Strength: 1), new StubContext())).Conditioning.Entries[0];
        // (height // 8, width // 8, y // 8, x // 8), the width clamped to what is left of a 20-cell latent.
        Assert.Equal((8, 5, 1, 15), pixels.Area!.Resolve(16, 20));
    }

    [Fact]
    public async Task ApplyingTwiceChainsOnBothSidesAndStrengthZeroChangesNothing()
    {
        var positive = new ConditioningList([Entry(1, 1, 0f), Entry(1, 1, 1f)]);
        var negative = new ConditioningList([Entry(1, 1, 2f)]);
        var first = new ControlNetHandle("a.safetensors", "/a", "1");
        var second = new ControlNetHandle("b.safetensors", "/b", "2");
        var image = ImageBatch.Filled(1, 8, 8, 1f, 0f, 0f);

        var once = await new ApplyControlNet().ExecuteAsync(new ApplyControlNet.In(positive, negative, first, image, 0.5, 0.1, 0.9, null), new StubContext());
        var twice = await new ApplyControlNet().ExecuteAsync(new ApplyControlNet.In(once.Positive, once.Negative, second, image, 1.5, 0, 1, null), new StubContext());

        foreach (var entry in twice.Positive.Entries.Concat(twice.Negative.Entries))
        {
            Assert.Equal([first, second], entry.Control.Select(c => c.Net));
            Assert.Equal([0.5, 1.5], entry.Control.Select(c => c.Strength));
        }
        Assert.Equal((0.1, 0.9), (twice.Positive.Entries[0].Control[0].StartPercent, twice.Positive.Entries[0].Control[0].EndPercent));
        var off = await new ApplyControlNet().ExecuteAsync(new ApplyControlNet.In(positive, negative, first, image, 0, 0, 1, null), new StubContext());
        Assert.Same(positive, off.Positive);
        Assert.Same(negative, off.Negative);
    }

    private static ConditioningEntry Entry(int tokens, int dim, float start) =>
        new(Enumerable.Range(0, tokens * dim).Select(i => start + i).ToArray(), tokens, dim, Enumerable.Range(0, dim).Select(i => start - i).ToArray());

    private sealed class StubContext : INodeContext
    {
        public List<string> Warnings { get; } = [];
        public string NodeId => "1";
        public CancellationToken CancellationToken => CancellationToken.None;
        public ILogger Logger => NullLogger.Instance;
        public IServiceProvider Services => new NodeServices();
        public WorkflowSnapshot Workflow => WorkflowSnapshot.None;
        public void ReportProgress(int value, int max) { }
        public void Preview(PreviewFrame frame) { }
        public void Warn(string message) => Warnings.Add(message);
        public void AddUiOutput(string key, UiItem item) { }
    }
}
