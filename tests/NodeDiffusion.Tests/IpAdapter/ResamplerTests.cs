using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Architectures.IpAdapter;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Nodes.Diffusion.IpAdapter;

namespace NodeDiffusion.Tests.IpAdapter;

/// <summary>An IP-Adapter Plus file with small generated weights, loaded by the node, against the Resampler computed directly in double.</summary>
public sealed class ResamplerTests
{
    private const int Embed = 24, ClipTokens = 5, Dim = 32, Heads = 2, DimHead = 64, Inner = Heads * DimHead, Depth = 2, Queries = 4, Output = 16, Mult = 2, Batch = 2;

    private readonly Dictionary<string, (long[] Shape, float[] Values)> _weights = [];
    private readonly Random _random = new(1234);

    [Fact]
    public async Task PlusAdapterProjectionEqualsTheResamplerFormula()
    {
        Add("image_proj.latents", [1, Queries, Dim], 0.2);
        AddLinear("image_proj.proj_in", Dim, Embed, bias: true);
        for (var i = 0; i < Depth; i++)
        {
            AddNorm($"image_proj.layers.{i}.0.norm1", Dim);
            AddNorm($"image_proj.layers.{i}.0.norm2", Dim);
            AddLinear($"image_proj.layers.{i}.0.to_q", Inner, Dim, bias: false);
            AddLinear($"image_proj.layers.{i}.0.to_kv", 2 * Inner, Dim, bias: false);
            AddLinear($"image_proj.layers.{i}.0.to_out", Dim, Inner, bias: false);
            AddNorm($"image_proj.layers.{i}.1.0", Dim);
            AddLinear($"image_proj.layers.{i}.1.1", Dim * Mult, Dim, bias: false);
            AddLinear($"image_proj.layers.{i}.1.3", Dim, Dim * Mult, bias: false);
        }
        AddLinear("image_proj.proj_out", Output, Dim, bias: true);
        AddNorm("image_proj.norm_out", Output);
        Add("ip_adapter.1.to_k_ip.weight", [8, Output], 0.3);
        Add("ip_adapter.1.to_v_ip.weight", [8, Output], 0.3);

        using var context = new NodeTestContext();
        var file = Path.Combine(context.Roots.Models, "plus.safetensors");
        SafetensorsWriter.WriteFile(file, _weights.Select(p => SafetensorsTensor.FromFloat32(p.Key, p.Value.Shape, p.Value.Values)), null);
        context.Place("ipadapter", "tiny-plus.safetensors", file);
        var handle = (await new LoadIpAdapter().ExecuteAsync(new LoadIpAdapter.In("tiny-plus.safetensors"), context)).Ipadapter;
        Assert.Equal(IpAdapterKind.Plus, handle.Layout.Kind);
        Assert.Equal(new ResamplerConfig(Dim, Depth, Heads, DimHead, Queries, Embed, Output, Mult), handle.Layout.Resampler);

        var hidden = Enumerable.Range(0, Batch * ClipTokens * Embed).Select(_ => (float)((_random.NextDouble() * 4) - 2)).ToArray();
        using var weights = SafetensorsWeightSource.Open(file);
        using var session = new SessionFactory(new SessionOptionsSpec(PreferCuda: false)).Create(IpAdapterProjectionGraph.Build(handle.Layout, weights), "tiny-resampler");
        var actual = session.Run(new Dictionary<string, HostTensor> { [IpAdapterProjectionGraph.Input] = new FloatTensor([Batch, ClipTokens, Embed], hidden) })[IpAdapterProjectionGraph.Output];
        Assert.Equal(new long[] { Batch, Queries, Output }, actual.Shape);

        var maxError = 0.0;
        for (var b = 0; b < Batch; b++)
        {
            var expected = Resampler(Rows(hidden.AsSpan(b * ClipTokens * Embed, ClipTokens * Embed).ToArray(), ClipTokens, Embed));
            for (var q = 0; q < Queries; q++)
            {
                for (var c = 0; c < Output; c++)
                {
                    maxError = Math.Max(maxError, Math.Abs(expected[q][c] - actual.Data[(((b * Queries) + q) * Output) + c]));
                }
            }
        }
        Assert.True(maxError < 2e-5, $"max abs error {maxError:E2}");
    }

    private double[][] Resampler(double[][] x)
    {
        x = Linear(x, "image_proj.proj_in", bias: true);
        var latents = Rows(_weights["image_proj.latents"].Values.Select(v => v).ToArray(), Queries, Dim);
        for (var i = 0; i < Depth; i++)
        {
            var p = $"image_proj.layers.{i}.";
            var xn = Norm(x, p + "0.norm1");
            var ln = Norm(latents, p + "0.norm2");
            var q = Linear(ln, p + "0.to_q", bias: false);
            var kv = Linear([.. xn, .. ln], p + "0.to_kv", bias: false);
            var attended = new double[Queries][];
            for (var r = 0; r < Queries; r++)
            {
                attended[r] = new double[Inner];
                for (var h = 0; h < Heads; h++)
                {
                    var scores = kv.Select(k => Enumerable.Range(0, DimHead).Sum(d => q[r][(h * DimHead) + d] * k[(h * DimHead) + d]) / Math.Sqrt(DimHead)).ToArray();
                    var max = scores.Max();
                    var exp = scores.Select(s => Math.Exp(s - max)).ToArray();
                    var total = exp.Sum();
                    for (var d = 0; d < DimHead; d++)
                    {
                        attended[r][(h * DimHead) + d] = Enumerable.Range(0, kv.Length).Sum(j => exp[j] / total * kv[j][Inner + (h * DimHead) + d]);
                    }
                }
            }
            latents = Add(Linear(attended, p + "0.to_out", bias: false), latents);
            var ff = Linear(Norm(latents, p + "1.0"), p + "1.1", bias: false);
            ff = ff.Select(row => row.Select(v => 0.5 * v * (1 + Erf(v / Math.Sqrt(2)))).ToArray()).ToArray();
            latents = Add(Linear(ff, p + "1.3", bias: false), latents);
        }
        return Norm(Linear(latents, "image_proj.proj_out", bias: true), "image_proj.norm_out");
    }

    private double[][] Linear(double[][] x, string module, bool bias)
    {
        var (shape, w) = _weights[module + ".weight"];
        var (outputs, inputs) = ((int)shape[0], (int)shape[1]);
        return x.Select(row => Enumerable.Range(0, outputs).Select(o =>
            Enumerable.Range(0, inputs).Sum(i => row[i] * w[(o * inputs) + i]) + (bias ? _weights[module + ".bias"].Values[o] : 0)).ToArray()).ToArray();
    }

    private double[][] Norm(double[][] x, string module)
    {
        var (gamma, beta) = (_weights[module + ".weight"].Values, _weights[module + ".bias"].Values);
        return x.Select(row =>
        {
            var mean = row.Average();
            var variance = row.Select(v => (v - mean) * (v - mean)).Average();
            return row.Select((v, i) => ((v - mean) / Math.Sqrt(variance + 1e-5) * gamma[i]) + beta[i]).ToArray();
        }).ToArray();
    }

    private static double[][] Add(double[][] a, double[][] b) => a.Select((row, r) => row.Select((v, c) => v + b[r][c]).ToArray()).ToArray();

    private static double[][] Rows(float[] values, int rows, int columns) =>
        Enumerable.Range(0, rows).Select(r => Enumerable.Range(0, columns).Select(c => (double)values[(r * columns) + c]).ToArray()).ToArray();

    /// <summary>erf by its Maclaurin series (exact to ~1e-12 for |x| &lt; 4; beyond, |erf| is 1 within 2e-8).</summary>
    private static double Erf(double x)
    {
        if (Math.Abs(x) >= 4)
        {
            return Math.Sign(x);
        }
        double sum = 0, term = x;
        for (var n = 0; n < 200; n++)
        {
            sum += term / ((2 * n) + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    private void Add(string name, long[] shape, double amplitude)
    {
        var count = (int)shape.Aggregate(1L, (a, b) => a * b);
        _weights[name] = (shape, Enumerable.Range(0, count).Select(_ => (float)(amplitude * ((2 * _random.NextDouble()) - 1))).ToArray());
    }

    private void AddLinear(string module, int outputs, int inputs, bool bias)
    {
        Add(module + ".weight", [outputs, inputs], Math.Sqrt(3.0 / inputs));
        if (bias)
        {
            Add(module + ".bias", [outputs], 0.1);
        }
    }

    private void AddNorm(string module, int features)
    {
        _weights[module + ".weight"] = ([features], Enumerable.Range(0, features).Select(_ => (float)(1 + (0.2 * ((2 * _random.NextDouble()) - 1)))).ToArray());
        Add(module + ".bias", [features], 0.1);
    }
}
