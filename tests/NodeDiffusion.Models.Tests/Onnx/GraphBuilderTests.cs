using Google.Protobuf;
using NodeDiffusion.Models.Architectures.Common;
using NodeDiffusion.Models.Onnx;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Tests.Support;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Models.Tests.Onnx;

public sealed class GraphBuilderTests
{
    [Fact]
    public void GroupNormMatchesADirectComputation()
    {
        const int n = 2, c = 8, h = 3, w = 5, groups = 4;
        var random = new Random(7);
        var x = Enumerable.Range(0, n * c * h * w).Select(_ => (float)(random.NextDouble() * 4 - 1)).ToArray();
        var gamma = Enumerable.Range(0, c).Select(_ => (float)(random.NextDouble() + 0.5)).ToArray();
        var beta = Enumerable.Range(0, c).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var weights = new DictionaryWeightSource(
            [WeightTensor.FromValues("norm.weight", [c], gamma), WeightTensor.FromValues("norm.bias", [c], beta)], "test");

        var g = new GraphBuilder("group_norm", new WeightBinder(weights));
        var input = g.Input("x", ElementType.Float, "batch", c, h, w);
        g.Output(g.GroupNorm(input, "norm", groups, c, 1e-5f), "y");
        using var session = Sessions.CpuFactory.Create(g.Build(), "group-norm");
        var y = session.Run(new Dictionary<string, HostTensor> { ["x"] = new FloatTensor([n, c, h, w], x) })["y"];

        var expected = new float[x.Length];
        var perGroup = c / groups * h * w;
        for (var b = 0; b < n; b++)
        {
            for (var gi = 0; gi < groups; gi++)
            {
                var start = ((b * c) + (gi * (c / groups))) * h * w;
                var slice = x.AsSpan(start, perGroup);
                double mean = 0, variance = 0;
                foreach (var v in slice)
                {
                    mean += v;
                }
                mean /= perGroup;
                foreach (var v in slice)
                {
                    variance += (v - mean) * (v - mean);
                }
                variance /= perGroup;
                for (var i = 0; i < perGroup; i++)
                {
                    var channel = (gi * (c / groups)) + (i / (h * w));
                    expected[start + i] = (float)(((slice[i] - mean) / Math.Sqrt(variance + 1e-5) * gamma[channel]) + beta[channel]);
                }
            }
        }
        Compare.MaxAbs("group norm", new FloatTensor([n, c, h, w], expected), y, 1e-5);
    }

    [Fact]
    public void GemmWithTransposedWeightEqualsLinear()
    {
        float[] w = [1f, 2f, 3f, -1f, 0.5f, 4f];
        var weights = new DictionaryWeightSource([WeightTensor.FromValues("fc.weight", [2, 3], w), WeightTensor.FromValues("fc.bias", [2], [0.25f, -1f])], "test");
        var g = new GraphBuilder("gemm", new WeightBinder(weights));
        var x = g.Input("x", ElementType.Float, "batch", 3);
        using (g.Scope("fc"))
        {
            g.Output(g.Gemm(x, g.Parameter("weight", 2, 3), g.Parameter("bias", 2), transposeB: true), "y");
        }
        using var session = Sessions.CpuFactory.Create(g.Build(), "gemm");
        var y = session.Run(new Dictionary<string, HostTensor> { ["x"] = new FloatTensor([1, 3], [1f, 1f, 2f]) })["y"];
        Assert.Equal([1f + 2f + 6f + 0.25f, -1f + 0.5f + 8f - 1f], y.Data);
    }

    [Fact]
    public void ParametersKeepTheirModuleNamesAsInitializers()
    {
        var weights = new DictionaryWeightSource(
            [WeightTensor.FromValues("down_blocks.0.attn.to_k.weight", [2, 3], new float[6])], "test");
        var g = new GraphBuilder("names", new WeightBinder(weights));
        var x = g.Input("x", ElementType.Float, 1, 3);
        using (g.Scope("down_blocks.0"))
        {
            using (g.Scope("attn"))
            {
                g.Output(g.Linear(x, "to_k", 3, 2, bias: false), "y");
            }
        }
        var model = g.Build();
        Assert.Contains(model.Graph.Initializer, t => t.Name == "down_blocks.0.attn.to_k.weight" && t.Dims.SequenceEqual([2L, 3L]));
        Assert.Equal(17, model.OpsetImport.Single().Version);
    }

    [Fact]
    public void WrongShapeIsReportedWithBothShapes()
    {
        var weights = new DictionaryWeightSource([WeightTensor.FromValues("proj.weight", [3, 2], new float[6])], "test weights");
        var g = new GraphBuilder("shape", new WeightBinder(weights));
        var x = g.Input("x", ElementType.Float, 1, 3);
        g.Output(g.Linear(x, "proj", 3, 2, bias: false), "y");
        var error = Assert.Throws<WeightBindingException>(() => g.Weights!.Complete());
        Assert.Contains("weight 'proj.weight' has shape [3, 2], expected [2, 3]", error.Message);
        Assert.Contains("test weights", error.Message);
    }

    [Fact]
    public void ExternalDataModelRunsLikeTheInlineOne()
    {
        var random = new Random(3);
        var w = Enumerable.Range(0, 64 * 32).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var b = Enumerable.Range(0, 64).Select(_ => (float)random.NextDouble()).ToArray();
        var weights = new DictionaryWeightSource([WeightTensor.FromValues("fc.weight", [64, 32], w), WeightTensor.FromValues("fc.bias", [64], b)], "test");
        var g = new GraphBuilder("external", new WeightBinder(weights));
        var x = g.Input("x", ElementType.Float, "batch", 32);
        g.Output(g.Linear(x, "fc", 32, 64), "y");
        var model = g.Build();
        var input = new FloatTensor([2, 32], Enumerable.Range(0, 64).Select(i => i / 64f).ToArray());

        using var temp = new TempDirectory();
        var path = temp.Combine("model.onnx");
        OnnxModelFile.Save(model, path, forceExternal: true);
        Assert.True(File.Exists(path + ".data"));
        Assert.True(new FileInfo(path).Length < 1024, "weights should be in the side file");
        Assert.Equal(64 * 32 * 4, model.Graph.Initializer.Single(t => t.Name == "fc.weight").RawData.Length);

        using var inline = Sessions.CpuFactory.Create(model, "inline");
        using var external = Sessions.CpuFactory.CreateFromFile(path, "external");
        var a = inline.Run(new Dictionary<string, HostTensor> { ["x"] = input })["y"];
        var e = external.Run(new Dictionary<string, HostTensor> { ["x"] = input })["y"];
        Assert.Equal(a.Data, e.Data);
        Assert.Contains(a.Data, v => v != 0);
    }
}
