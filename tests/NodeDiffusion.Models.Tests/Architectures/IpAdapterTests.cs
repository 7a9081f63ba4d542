using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Tests.Support;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Models.Weights.Ldm;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Models.Tests.Architectures;

public sealed class IpAdapterTests
{
    private const double Tolerance = 2e-5;

    [Fact]
    public void OriginalLayoutAdapterMatchesDiffusersWithAndWithoutZeroImageEmbeds()
    {
        using var reference = Reference.Open("ipadapter-tiny");
        var config = UNet2DConditionConfig.Load(reference.ConfigPath);
        using var unet = SafetensorsWeightSource.Open(SharedData.Require("reference/unet-tiny-sd15shape/weights.safetensors"));
        using var original = SafetensorsWeightSource.Open(Path.Combine(reference.Folder, "ip_adapter_original_layout.safetensors"));
        using var diffusersNamed = reference.OpenWeights();

        // Our mapping of the original ids must give exactly the names diffusers' loader produced.
        var renamed = new RenamedWeightSource(original, k => IpAdapterKeyMap.ToDiffusers(k, config));
        Assert.Equal(diffusersNamed.Names.OrderBy(n => n, StringComparer.Ordinal), renamed.Names.OrderBy(n => n, StringComparer.Ordinal));

        var weights = new UnionWeightSource(unet, renamed);
        var options = new UNetGraphOptions(IpAdapter: new IpAdapterOptions(ImageEmbedDim: 32, Tokens: 4));
        using var session = Sessions.CpuFactory.Create(UNet2DConditionGraph.Build(config, weights, options), "unet-tiny-ip");

        foreach (var (embeds, expected) in new[] { ("image_embeds", "out_sample"), ("image_embeds_cfg", "out_sample_cfg") })
        {
            var outputs = session.Run(new Dictionary<string, HostTensor>
            {
                ["sample"] = reference.Float("sample"),
                ["timestep"] = reference.Float("timestep"),
                ["encoder_hidden_states"] = reference.Float("encoder_hidden_states"),
                ["image_embeds"] = reference.Float(embeds),
                ["ip_adapter_scale"] = new FloatTensor([1], [0.7f]),
            });
            Compare.MaxAbs("ip-adapter " + expected, reference.Float(expected), outputs["out_sample"], Tolerance);
        }
    }

    [Fact]
    public void ProcessorIdsFollowDiffusersOrderForSd15()
    {
        var config = UNet2DConditionConfig.Load(SharedData.Require("real-data/tokenizer/sd15-configs/unet/config.json"));
        var paths = IpAdapterKeyMap.AttentionProcessorPaths(config);
        Assert.Equal(32, paths.Count);
        Assert.Equal("down_blocks.0.attentions.0.transformer_blocks.0.attn2.processor.to_k_ip.0.weight", IpAdapterKeyMap.ToDiffusers("ip_adapter.1.to_k_ip.weight", config));
        Assert.Equal("up_blocks.1.attentions.0.transformer_blocks.0.attn2.processor.to_v_ip.0.weight", IpAdapterKeyMap.ToDiffusers("ip_adapter.13.to_v_ip.weight", config));
        Assert.Equal("mid_block.attentions.0.transformer_blocks.0.attn2.processor.to_k_ip.0.weight", IpAdapterKeyMap.ToDiffusers("ip_adapter.31.to_k_ip.weight", config));
        Assert.Throws<WeightBindingException>(() => IpAdapterKeyMap.ToDiffusers("ip_adapter.2.to_k_ip.weight", config));
    }
}
