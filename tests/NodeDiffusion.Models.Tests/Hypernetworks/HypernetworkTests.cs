using NodeDiffusion.Formats.Torch;
using NodeDiffusion.Models.Architectures.Common;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Onnx;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Tests.Support;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Models.Weights.Hypernetworks;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Models.Tests.Hypernetworks;

public sealed class HypernetworkTests
{
    private const double MlpTolerance = 2e-5;
    private const double UnetTolerance = 1e-4;

    public static TheoryData<string, bool, bool, bool> Variants()
    {
        var data = new TheoryData<string, bool, bool, bool>();
        foreach (var activation in HypernetworkActivations.ByName.Keys)
        {
            data.Add(activation, false, false, activation.Length % 2 == 0);
        }
        data.Add("relu", true, false, true);
        data.Add("tanh", true, true, false);
        data.Add("linear", true, false, false);
        data.Add("mish", false, true, true);
        return data;
    }

    /// <summary>The compiled K/V patch of two chained networks equals ComfyUI's math evaluated directly in C#.</summary>
    [Theory]
    [MemberData(nameof(Variants))]
    public void ChainedKeyAndValueMlpsMatchTheDirectComputation(string activation, bool layerNorm, bool activateOutput, bool asPickle)
    {
        using var temp = new TempDirectory();
        const long width = 16;
        var first = new HypernetworkSpec { Activation = activation, LayerNorm = layerNorm, ActivateOutput = activateOutput, Widths = [8, width], Seed = 3 };
        var second = new HypernetworkSpec { Activation = "relu", Structure = [1, 1.5, 1], Widths = [width], Seed = 4 };
        var firstPath = temp.Combine(asPickle ? "first.pt" : "first.safetensors");
        if (asPickle)
        {
            first.WritePt(firstPath);
        }
        else
        {
            first.WriteSafetensors(firstPath);
        }
        var secondPath = temp.Combine("second.safetensors");
        second.WriteSafetensors(secondPath);
        var networks = new[] { new WeightedHypernetwork(HypernetworkFile.Read(firstPath), 0.8f), new WeightedHypernetwork(HypernetworkFile.Read(secondPath), -1.3f) };

        var g = new GraphBuilder("hypernetwork");
        var x = g.Input("x", ElementType.Float, "batch", "tokens", width);
        var (key, value) = new HypernetworkGraph(networks).Apply(g, x, width);
        g.Output(key, "key");
        g.Output(value, "value");
        using var session = Sessions.CpuFactory.Create(g.Build(), "hypernetwork");

        var random = new Random(5);
        var input = Enumerable.Range(0, 2 * 7 * (int)width).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        var outputs = session.Run(new Dictionary<string, HostTensor> { ["x"] = new FloatTensor([2, 7, width], input) });
        for (var part = 0; part < 2; part++)
        {
            var expected = second.Reference(first.Reference(input, width, part, 0.8f), width, part, -1.3f);
            Compare.MaxAbs($"{activation} ln={layerNorm} out={activateOutput} part {part}", new FloatTensor([2, 7, width], expected), outputs[part == 0 ? "key" : "value"], MlpTolerance);
        }
        Assert.NotEqual(outputs["key"].Data, outputs["value"].Data);
    }

    [Fact]
    public void PickleAndSafetensorsLayoutsReadTheSame()
    {
        using var temp = new TempDirectory();
        var spec = new HypernetworkSpec { Activation = "elu", LayerNorm = true, Widths = [8, 16, 24] };
        spec.WritePt(temp.Combine("a.pt"));
        spec.WriteSafetensors(temp.Combine("a.safetensors"));
        var fromPickle = HypernetworkFile.Read(temp.Combine("a.pt"));
        var fromSafetensors = HypernetworkFile.Read(temp.Combine("a.safetensors"));
        Assert.Equal([8L, 16, 24], fromPickle.Modules.Select(m => m.Dim));
        Assert.Equal(HypernetworkActivation.Elu, fromPickle.Activation);
        foreach (var (a, b) in fromPickle.Modules.Zip(fromSafetensors.Modules))
        {
            foreach (var (la, lb) in a.Key.Layers.Concat(a.Value.Layers).Zip(b.Key.Layers.Concat(b.Value.Layers)))
            {
                Assert.Equal(la.Weight.Values.ToArray(), lb.Weight.Values.ToArray());
                Assert.Equal(la.NormBias!.Values.ToArray(), lb.NormBias!.Values.ToArray());
                Assert.Equal(la.Activated, lb.Activated);
            }
        }
        // ComfyUI: with LayerNorms the last Linear is activated too (the last entry is a LayerNorm).
        Assert.All(fromPickle.Modules, m => Assert.True(m.Key.Layers[^1].Activated));
    }

    [Fact]
    public void APickleCallingAGlobalIsRefusedNamingIt()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("evil.pt");
        TorchZipWriter.Write(path, [new("activation_func", TorchZipWriter.Call("os", "system", "echo pwned > /tmp/pwned"))]);
        var error = Assert.Throws<TorchFormatException>(() => HypernetworkFile.Read(path));
        Assert.Contains("os.system", error.Message, StringComparison.Ordinal);
        Assert.Contains("evil.pt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedActivationAndBrokenShapesAreClearErrors()
    {
        using var temp = new TempDirectory();
        var spec = new HypernetworkSpec { Activation = "gelu", Widths = [8] };
        spec.WriteSafetensors(temp.Combine("gelu.safetensors"));
        var error = Assert.Throws<InvalidDataException>(() => HypernetworkFile.Read(temp.Combine("gelu.safetensors")));
        Assert.Contains("gelu", error.Message, StringComparison.Ordinal);

        var wrong = new HypernetworkSpec { Activation = "relu", Structure = [1, 2, 1.5], Widths = [8] };
        wrong.WriteSafetensors(temp.Combine("wrong.safetensors"));
        error = Assert.Throws<InvalidDataException>(() => HypernetworkFile.Read(temp.Combine("wrong.safetensors")));
        Assert.Contains("must return 8", error.Message, StringComparison.Ordinal);

        // A shape claiming 10¹⁰ values is refused before anything is allocated.
        TorchZipWriter.Write(temp.Combine("huge.pt"), [new(8, new TorchZipWriter.Tuple(
            new KeyValuePair<object, object>[] { new("linear.0.weight", new TorchZipWriter.Tensor([100_000, 100_000], [1f])) },
            new KeyValuePair<object, object>[] { new("linear.0.weight", new TorchZipWriter.Tensor([8, 8], new float[64])) }))]);
        error = Assert.Throws<InvalidDataException>(() => HypernetworkFile.Read(temp.Combine("huge.pt")));
        Assert.Contains("8.0.linear.0.weight", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The cross-attention patch is placed on attn2's K and V inputs: with equal K and V modules for the text width only,
    /// the UNet with the hypernetwork equals the plain UNet fed the hand-transformed context c + s·mlp(c).
    /// </summary>
    [Fact]
    public void CrossAttentionPatchEqualsThePlainUnetOnTheTransformedContext()
    {
        using var temp = new TempDirectory();
        var (config, weights) = TinyUnet();
        var spec = new HypernetworkSpec { Activation = "tanh", LayerNorm = true, Widths = [config.CrossAttentionDim], SameKeyAndValue = true };
        spec.WriteSafetensors(temp.Combine("text.safetensors"));
        const float strength = 0.6f;
        var options = new UNetGraphOptions { Hypernetworks = [new WeightedHypernetwork(HypernetworkFile.Read(temp.Combine("text.safetensors")), strength)] };
        using var patched = Sessions.CpuFactory.Create(UNet2DConditionGraph.Build(config, weights, options), "unet-hn");
        using var plain = Sessions.CpuFactory.Create(UNet2DConditionGraph.Build(config, weights), "unet");

        var (sample, timestep, context) = Inputs(config);
        var transformed = new FloatTensor(context.Shape, spec.Reference(context.Data, config.CrossAttentionDim, 0, strength));
        var expected = plain.Run(Feed(sample, timestep, transformed))["out_sample"];
        var actual = patched.Run(Feed(sample, timestep, context))["out_sample"];
        Compare.MaxAbs("unet hypernetwork on attn2", expected, actual, UnetTolerance);
        var unpatched = plain.Run(Feed(sample, timestep, context))["out_sample"];
        Assert.True(unpatched.Data.Zip(actual.Data).Max(p => Math.Abs(p.First - p.Second)) > 100 * UnetTolerance, "the hypernetwork must change the output");
    }

    /// <summary>Modules patch exactly the attentions of their width: attn1 of each transformer that wide, attn2 for the text width.</summary>
    [Fact]
    public void ModulesPatchExactlyTheAttentionsOfTheirWidth()
    {
        using var temp = new TempDirectory();
        var (config, weights) = TinyUnet();
        var spec = new HypernetworkSpec { Activation = "relu", Widths = [32, 64, config.CrossAttentionDim, 100] };
        spec.WriteSafetensors(temp.Combine("all.safetensors"));
        var options = new UNetGraphOptions { Hypernetworks = [new WeightedHypernetwork(HypernetworkFile.Read(temp.Combine("all.safetensors")), 1f)] };
        var model = UNet2DConditionGraph.Build(config, weights, options);
        // First layers of the K MLPs: their MatMuls show where each width's module is applied.
        int Uses(long width) => model.Graph.Node.Count(n => n.OpType == "MatMul" && n.Input.Any(i => i.EndsWith($"hypernetwork_0.{width}.0.0.weight_t", StringComparison.Ordinal)));
        Assert.Equal(3, Uses(32));   // attn1 of down_blocks.0.attentions.0 and up_blocks.1.attentions.0/1 (32 wide)
        Assert.Equal(1, Uses(64));   // attn1 of the mid block; the other 64-wide blocks have no attention
        Assert.Equal(4, Uses(config.CrossAttentionDim)); // attn2 of all four transformers
        Assert.DoesNotContain(model.Graph.Initializer, i => i.Name.Contains(".100.", StringComparison.Ordinal));

        // A network whose widths match nothing compiles to the plain graph.
        var unmatched = new HypernetworkSpec { Activation = "relu", Widths = [100] };
        unmatched.WriteSafetensors(temp.Combine("none.safetensors"));
        var none = UNet2DConditionGraph.Build(config, weights, new UNetGraphOptions { Hypernetworks = [new WeightedHypernetwork(HypernetworkFile.Read(temp.Combine("none.safetensors")), 1f)] });
        Assert.Equal(UNet2DConditionGraph.Build(config, weights).Graph.Node.Count, none.Graph.Node.Count);
    }

    private static Dictionary<string, HostTensor> Feed(FloatTensor sample, FloatTensor timestep, FloatTensor context) => new()
    {
        ["sample"] = sample,
        ["timestep"] = timestep,
        ["encoder_hidden_states"] = context,
    };

    private static (FloatTensor Sample, FloatTensor Timestep, FloatTensor Context) Inputs(UNet2DConditionConfig config)
    {
        var random = new Random(9);
        float[] Normal(int n) => Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        return (new FloatTensor([1, 4, 8, 8], Normal(4 * 64)), new FloatTensor([1], [500f]), new FloatTensor([1, 5, config.CrossAttentionDim], Normal(5 * config.CrossAttentionDim)));
    }

    /// <summary>A two-level UNet whose text width (48) differs from its channel widths (32, 64), with seeded weights.</summary>
    private static (UNet2DConditionConfig Config, IWeightSource Weights) TinyUnet()
    {
        const string json = """
            {
              "_class_name": "UNet2DConditionModel", "act_fn": "silu", "attention_head_dim": 8, "block_out_channels": [32, 64],
              "center_input_sample": false, "cross_attention_dim": 48,
              "down_block_types": ["CrossAttnDownBlock2D", "DownBlock2D"], "downsample_padding": 1, "flip_sin_to_cos": true,
              "freq_shift": 0, "in_channels": 4, "layers_per_block": 1, "mid_block_scale_factor": 1, "norm_eps": 1e-05,
              "norm_num_groups": 32, "out_channels": 4, "sample_size": 8,
              "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D"], "use_linear_projection": false
            }
            """;
        var config = UNet2DConditionConfig.From(ConfigJson.Parse(json, "tiny-unet"));
        var manifest = new WeightManifest();
        UNet2DConditionGraph.Build(config, manifest);
        var random = new Random(2);
        var tensors = manifest.Expected.DistinctBy(w => w.Name).Select(w =>
        {
            var count = (int)w.Shape.Aggregate(1L, (a, b) => a * b);
            var fanIn = w.Shape.Length > 1 ? w.Shape.Skip(1).Aggregate(1L, (a, b) => a * b) : 1;
            var norm = w.Name.Contains("norm", StringComparison.Ordinal) && w.Shape.Length == 1;
            var values = Enumerable.Range(0, count).Select(_ => norm && w.Name.EndsWith(".weight", StringComparison.Ordinal)
                ? 1f
                : (float)((random.NextDouble() * 2) - 1) * (w.Shape.Length == 1 ? 0.05f : MathF.Sqrt(3f / fanIn))).ToArray();
            return WeightTensor.FromValues(w.Name, w.Shape, values);
        });
        return (config, new DictionaryWeightSource(tensors, "tiny unet"));
    }
}
