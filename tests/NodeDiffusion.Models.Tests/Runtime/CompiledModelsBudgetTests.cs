using NodeDiffusion.Models.Checkpoints;
using NodeDiffusion.Models.Onnx;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Tests.Support;

namespace NodeDiffusion.Models.Tests.Runtime;

/// <summary>The session cache's least-recently-used eviction by weight bytes and by count, and its leases.</summary>
public sealed class CompiledModelsBudgetTests
{
    private const int Floats = 1024;
    private const long Bytes = Floats * sizeof(float);

    /// <summary>y = x · w with a 4 KiB weight w filled with <paramref name="scale"/>.</summary>
    private static global::Onnx.ModelProto Scale(float scale)
    {
        var g = new GraphBuilder("scale");
        var x = g.Input("x", ElementType.Float, Floats);
        g.Output(g.Mul(x, g.Constant("w", [Floats], Enumerable.Repeat(scale, Floats).ToArray())), "y");
        return g.Build();
    }

    private static float Run(ModelSession session) =>
        session.Run(new Dictionary<string, HostTensor> { ["x"] = new FloatTensor([Floats], Enumerable.Repeat(1f, Floats).ToArray()) })["y"].Data[0];

    [Fact]
    public void LeastRecentlyUsedSessionsCloseWhenTheirWeightsExceedTheBudget()
    {
        using var models = new CompiledModels(Sessions.CpuFactory, maxSessions: 100) { MaxWeightBytes = (2 * Bytes) + 100 };
        var compiles = 0;
        ModelSession Get(int i) => models.GetOrCompile($"m{i}", $"m{i}", () =>
        {
            compiles++;
            return Scale(i);
        });

        var one = Get(1);
        Assert.Equal(Bytes, one.WeightBytes);
        Get(2);
        Assert.Equal(2 * Bytes, models.WeightBytes);
        Assert.Same(one, Get(1));                       // m1 is now the most recently used
        Get(3);                                         // over budget: m2, the least recently used, closes
        Assert.Equal(2, models.Count);
        Assert.Equal(2 * Bytes, models.WeightBytes);
        Assert.Equal(3, compiles);
        Assert.Same(one, Get(1));
        Assert.Equal(1f, Run(Get(1)));
        Assert.Equal(2f, Run(Get(2)));                  // compiled again
        Assert.Equal(4, compiles);
        Assert.Equal(2, models.Count);
    }

    [Fact]
    public void ASessionInUseIsNeverClosedEvenOverBudget()
    {
        using var models = new CompiledModels(Sessions.CpuFactory, maxSessions: 100) { MaxWeightBytes = Bytes };
        var held = models.GetOrCompile("held", "held", () => Scale(5));
        using (held.Acquire())
        {
            var other = models.GetOrCompile("other", "other", () => Scale(6));
            Assert.Equal(2, models.Count);                // over budget, but "held" is leased and "other" is the newest
            Assert.Equal(5f, Run(held));
            using var runner = new BoundRunner(other, new Dictionary<string, long[]> { ["x"] = [Floats] }, new Dictionary<string, long[]> { ["y"] = [Floats] });
            models.GetOrCompile("third", "third", () => Scale(7));
            Assert.Equal(3, models.Count);                // both older sessions are in use
            Assert.True(other.InUse);
        }
        Assert.False(held.InUse);
        models.GetOrCompile("fourth", "fourth", () => Scale(8));
        Assert.Equal(1, models.Count);                    // nothing in use any more: only the newest stays
        Assert.Equal(0, models.WeightBytes - Bytes);
    }

    [Fact]
    public void TheCountLimitStillApplies()
    {
        using var models = new CompiledModels(Sessions.CpuFactory, maxSessions: 2);
        Assert.True(models.MaxWeightBytes >= 1L << 30);
        for (var i = 0; i < 5; i++)
        {
            models.GetOrCompile($"c{i}", $"c{i}", () => Scale(i));
        }
        Assert.Equal(2, models.Count);
    }
}
