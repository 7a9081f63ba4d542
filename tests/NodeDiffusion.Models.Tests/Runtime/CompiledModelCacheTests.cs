using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Tests.Support;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Models.Tests.Runtime;

public sealed class CompiledModelCacheTests
{
    [Fact]
    public void CompilesOnceAndLoadsTheStoredModel()
    {
        using var reference = Reference.Open("clip-text-tiny");
        var config = ClipTextConfig.Load(reference.ConfigPath);
        using var weights = reference.OpenWeights();
        using var temp = new TempDirectory();
        var cache = new CompiledModelCache(temp.Path);
        var key = CompiledModelCache.Key(File.ReadAllText(reference.ConfigPath), CompiledModelCache.FileFingerprint(reference.WeightsPath), "clip-text");
        var compiles = 0;

        var first = cache.GetOrCompile(key, () => { compiles++; return ClipTextGraph.Build(config, weights); });
        var second = cache.GetOrCompile(key, () => { compiles++; return ClipTextGraph.Build(config, weights); });
        Assert.Equal(1, compiles);
        Assert.Equal(first, second);
        Assert.True(File.Exists(first + ".data"));
        Assert.NotEqual(key, CompiledModelCache.Key(File.ReadAllText(reference.ConfigPath), CompiledModelCache.FileFingerprint(reference.WeightsPath), "clip-text", "clip_skip=1"));

        using var session = Sessions.CpuFactory.CreateFromFile(first, "cached-clip");
        var outputs = session.Run(new Dictionary<string, HostTensor> { ["input_ids"] = reference.Int64("input_ids") });
        Compare.MaxAbs("cached clip last_hidden_state", reference.Float("last_hidden_state"), outputs["last_hidden_state"], 1e-5);
    }
}
