using NodeDiffusion.Engine.Caching;
using NodeDiffusion.Engine.Events;
using NodeDiffusion.Graph.Values;

namespace NodeDiffusion.Tests.Engine;

public sealed class OutputCacheTests
{
    private static CachedOutputs Entry(long bytes) => new([], UiOutput.Empty, bytes);

    [Fact]
    public void EvictsTheLeastRecentlyUsedByCount()
    {
        var cache = new OutputCache(maxEntries: 2);
        cache.Set("a", Entry(1));
        cache.Set("b", Entry(1));
        Assert.True(cache.TryGet("a", out _));
        cache.Set("c", Entry(1));
        Assert.True(cache.Contains("a"));
        Assert.False(cache.Contains("b"));
        Assert.True(cache.Contains("c"));
    }

    [Fact]
    public void EvictsByBytesAndRefusesEntriesLargerThanTheBudget()
    {
        var cache = new OutputCache(maxEntries: 100, maxBytes: 100);
        cache.Set("a", Entry(40));
        cache.Set("b", Entry(40));
        cache.Set("c", Entry(40));
        Assert.False(cache.Contains("a"));
        Assert.Equal(80, cache.Bytes);
        cache.Set("huge", Entry(101));
        Assert.False(cache.Contains("huge"));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void SizesComeFromTheValues()
    {
        var image = ImageBatch.Filled(1, 8, 8, 0, 0, 0);
        Assert.Equal(8 * 8 * 3 * sizeof(float), OutputCache.SizeOf([image]));
    }
}
