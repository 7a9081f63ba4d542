using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Architectures.IpAdapter;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Nodes.Diffusion.IpAdapter;
using NodeDiffusion.Nodes.Diffusion.Values;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Tests.IpAdapter;

public sealed class IpAdapterReferenceTests
{
    private static readonly SessionFactory Cpu = new(new SessionOptionsSpec(PreferCuda: false));

    /// <summary>ipadapter-tiny/README.md: suggested max abs error 2e-5.</summary>
    private const double UnetTolerance = 2e-5;

    [Fact]
    public async Task TinyReferenceMatchesWhenLoadedThroughTheNodeFromItsOriginalLayoutFile()
    {
        var folder = SharedData.Require("reference/ipadapter-tiny");
        using var context = new NodeTestContext();
        var adapterPath = context.Place("ipadapter", "tiny-ip.safetensors", Path.Combine(folder, "ip_adapter_original_layout.safetensors"));
        var handle = (await new LoadIpAdapter().ExecuteAsync(new LoadIpAdapter.In("tiny-ip.safetensors"), context)).Ipadapter;
        Assert.Equal(IpAdapterKind.Base, handle.Layout.Kind);
        Assert.Equal((32, 4, 32, 16), (handle.Layout.ClipEmbedDim, handle.Layout.Tokens, handle.Layout.TokenChannels, handle.Layout.LayerIds.Count));

        using var io = SafetensorsFile.Open(Path.Combine(folder, "io.safetensors"));
        FloatTensor Io(string name) => new(io.GetInfo(name).Shape, io.ReadFloat32(name));

        using var adapter = SafetensorsWeightSource.Open(adapterPath);
        using var projection = Cpu.Create(IpAdapterProjectionGraph.Build(handle.Layout, adapter), "tiny-image-proj");
        FloatTensor Project(FloatTensor embeds) => projection.Run(new Dictionary<string, HostTensor> { [IpAdapterProjectionGraph.Input] = embeds })[IpAdapterProjectionGraph.Output];
        var tokens = Project(Io("image_embeds"));
        Assert.True(MaxAbs(Io("dbg_image_proj").Data, tokens.Data) <= UnetTolerance);

        var config = UNet2DConditionConfig.Load(Path.Combine(folder, "config.json"));
        using var unetWeights = SafetensorsWeightSource.Open(SharedData.Require("reference/unet-tiny-sd15shape/weights.safetensors"));
        using var unet = Cpu.Create(handle.ToApplication().BuildUnet(config, unetWeights, adapter), "tiny-unet-ip");
        var weights = IpAdapterApply.LayerWeights(IpAdapterLayerScales.CrossAttentionPaths(config), "linear", 0.7);
        var scales = IpAdapterScales.From(new IpAdapterPatch(handle, new IpAdapterTokens(4, 32, [], []), weights, "V only", 0, 1));
        foreach (var (embeds, expected) in new[] { ("image_embeds", "out_sample"), ("image_embeds_cfg", "out_sample_cfg") })
        {
            var outputs = unet.Run(new Dictionary<string, HostTensor>
            {
                ["sample"] = Io("sample"),
                ["timestep"] = Io("timestep"),
                ["encoder_hidden_states"] = Io("encoder_hidden_states"),
                [IpAdapterLayerScales.TokensInput] = Project(Io(embeds)),
                [IpAdapterLayerScales.OutScaleInput] = new FloatTensor([16], scales.Out),
                [IpAdapterLayerScales.KScaleInput] = new FloatTensor([16], scales.K),
                [IpAdapterLayerScales.VScaleInput] = new FloatTensor([16], scales.V),
                [IpAdapterLayerScales.VMeanScaleInput] = new FloatTensor([16], scales.VMean),
            });
            var error = MaxAbs(Io(expected).Data, outputs["out_sample"].Data);
            Assert.True(error <= UnetTolerance, $"{expected}: max abs error {error:E2} > {UnetTolerance:E0}");
        }
    }

    [Fact]
    public async Task ALoraFileIsRefusedWithAnErrorNamingTheFileAndTheExpectedLayout()
    {
        using var context = new NodeTestContext();
        var lora = Path.Combine(context.Roots.Models, "lora.safetensors");
        SafetensorsWriter.WriteFile(lora, [SafetensorsTensor.FromFloat32("lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight", [4, 32], new float[128])], null);
        context.Place("ipadapter", "style-lora.safetensors", lora);
        var error = await Assert.ThrowsAsync<NodeDiffusion.Graph.Nodes.NodeException>(async () => await new LoadIpAdapter().ExecuteAsync(new LoadIpAdapter.In("style-lora.safetensors"), context));
        Assert.Contains("style-lora.safetensors", error.Message, StringComparison.Ordinal);
        Assert.Contains("not an IP-Adapter", error.Message, StringComparison.Ordinal);
        Assert.Equal("ipadapter_file", error.InputName);
    }

    [Fact]
    public void WeightTypesPlaceTheWeightOnComfyTransformerIndices()
    {
        var config = UNet2DConditionConfig.Load(SharedData.Require("real-data/tokenizer/sd15-configs/unet/config.json"));
        var paths = IpAdapterLayerScales.CrossAttentionPaths(config);
        Assert.Equal(16, paths.Count);
        // Processor order: down 0–5, up 6–14, mid 15; ComfyUI's transformer_index: input 0–5, middle 6, output 7–15.
        var composition = IpAdapterApply.LayerWeights(paths, "composition", 1.0);
        Assert.Equal(new double[] { 0, 0, 0, 0, 0.25, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, composition.ToArray());
        var style = IpAdapterApply.LayerWeights(paths, "style transfer", 2.0);
        // input 0–3 and output blocks with transformer_index 9–15 (= processor 8–14); not the middle (6) nor output 7, 8.
        Assert.Equal(new double[] { 2, 2, 2, 2, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 0 }, style.ToArray());
        var easeIn = IpAdapterApply.LayerWeights(paths, "ease in", 1.0);
        Assert.Equal(0.05 + (0.95 * (1 - (6.0 / 16))), easeIn[15], 12); // the mid block is transformer_index 6
        Assert.Equal(0.05 + (0.95 * (1 - (7.0 / 16))), easeIn[6], 12);
        var weakMiddle = IpAdapterApply.LayerWeights(paths, "weak middle", 1.0);
        Assert.Equal(0.2, weakMiddle[15], 12);
        Assert.Equal(1.0, weakMiddle[0], 12);
    }

    private static double MaxAbs(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var max = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            max = Math.Max(max, Math.Abs(expected[i] - actual[i]));
        }
        return max;
    }
}
