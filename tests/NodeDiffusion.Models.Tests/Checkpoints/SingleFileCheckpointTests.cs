using System.Text.Json;
using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Architectures.Vae;
using NodeDiffusion.Models.Checkpoints;
using NodeDiffusion.Models.Checkpoints.SingleFile;
using NodeDiffusion.Models.Demo;
using NodeDiffusion.Models.Tests.Support;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Models.Weights.Ldm;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Models.Tests.Checkpoints;

/// <summary>
/// Single-file (ldm) checkpoints: architecture detection and config inference on synthetic headers (names and shapes
/// only, no data), the inverse key map, and reading fp16/bf16 files back.
/// </summary>
public sealed class SingleFileCheckpointTests
{
    /// <summary>The ldm names and shapes an SD1.5 checkpoint holds, derived from what our SD1.5 graphs ask for.</summary>
    private static Dictionary<string, long[]> Sd15Header()
    {
        var header = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var unet = new WeightManifest();
        UNet2DConditionGraph.Build(Sd15Configs.Unet, unet);
        foreach (var e in unet.Expected)
        {
            header[LdmKeyMap.UnetToLdm(e.Name, Sd15Configs.Unet)] = e.Shape;
        }
        var vae = new WeightManifest();
        AutoencoderKLGraph.BuildEncoder(Sd15Configs.Vae, vae);
        AutoencoderKLGraph.BuildDecoder(Sd15Configs.Vae, vae);
        foreach (var e in vae.Expected)
        {
            header[LdmKeyMap.VaeToLdm(e.Name, Sd15Configs.Vae)] = LdmKeyMap.IsVaeAttentionProjection(e.Name) ? [.. e.Shape, 1, 1] : e.Shape;
        }
        var clip = new WeightManifest();
        ClipTextGraph.Build(Sd15Configs.TextEncoder, clip);
        foreach (var e in clip.Expected)
        {
            header[LdmKeyMap.TextEncoderToLdm(e.Name)] = e.Shape;
        }
        header["model_ema.decay"] = [];
        header["alphas_cumprod"] = [1000];
        return header;
    }

    private static string Json(object config) => JsonSerializer.Serialize(config);

    [Fact]
    public void AnSd15HeaderIsDetectedAndItsConfigsAreSd15s()
    {
        var header = Sd15Header();
        Report.Line($"synthetic SD1.5 header: {header.Count} tensors");
        Assert.Equal(1132, header.Count);
        var detected = CheckpointArchitecture.Detect(header);
        Assert.True(detected.IsSd1, detected.Name);
        Assert.Equal(768, CheckpointArchitecture.ContextDim(header));
        Assert.Equal(Json(Sd15Configs.Unet), Json(LdmConfigInference.Unet(header)));
        Assert.Equal(Json(Sd15Configs.Vae), Json(LdmConfigInference.Vae(header)));
        Assert.Equal(Json(Sd15Configs.TextEncoder), Json(LdmConfigInference.TextEncoder(header)));
    }

    [Fact]
    public void TheSd15ConfigsEqualTheDiffusersConfigFiles()
    {
        string Config(string component) => SharedData.Require($"real-data/tokenizer/sd15-configs/{component}/config.json");
        Assert.Equal(Json(UNet2DConditionConfig.Load(Config("unet"))), Json(Sd15Configs.Unet));
        Assert.Equal(Json(AutoencoderKLConfig.Load(Config("vae"))), Json(Sd15Configs.Vae));
        Assert.Equal(Json(ClipTextConfig.Load(Config("text_encoder"))), Json(Sd15Configs.TextEncoder));
    }

    [Fact]
    public void TheInverseKeyMapRoundTripsEverySd15Parameter()
    {
        foreach (var ldm in Sd15Header().Keys.Where(k => k.StartsWith(LdmKeyMap.UnetPrefix, StringComparison.Ordinal)))
        {
            Assert.Equal(ldm, LdmKeyMap.UnetToLdm(LdmKeyMap.Unet(ldm, Sd15Configs.Unet)!, Sd15Configs.Unet));
        }
        foreach (var ldm in Sd15Header().Keys.Where(k => k.StartsWith(LdmKeyMap.VaePrefix, StringComparison.Ordinal)))
        {
            Assert.Equal(ldm, LdmKeyMap.VaeToLdm(LdmKeyMap.Vae(ldm, Sd15Configs.Vae)!, Sd15Configs.Vae));
        }
    }

    public static TheoryData<string, string> OtherArchitectures() => new()
    {
        { "sd2", "an SD2.x checkpoint" },
        { "sdxl", "an SDXL checkpoint" },
        { "sdxl-refiner", "an SDXL refiner checkpoint" },
        { "inpaint", "an SD1.x inpainting checkpoint (9 input channels)" },
        { "pix2pix", "an InstructPix2Pix checkpoint (8 input channels)" },
        { "unet-only", "an SD1.x UNet without its CLIP text model (no cond_stage_model.transformer.* tensors)" },
        { "lora", "a LoRA (it belongs in models/loras)" },
        { "flux", "a Flux checkpoint" },
        { "sd3", "an SD3 checkpoint" },
        { "controlnet", "a ControlNet (it belongs in models/controlnet)" },
    };

    [Theory]
    [MemberData(nameof(OtherArchitectures))]
    public void OtherArchitecturesAreNamed(string kind, string expected)
    {
        var header = Sd15Header();
        const string toK = LdmKeyMap.UnetPrefix + "input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight";
        switch (kind)
        {
            case "sd2":
                foreach (var key in header.Keys.Where(k => k.StartsWith(LdmKeyMap.TextPrefix, StringComparison.Ordinal)).ToList())
                {
                    header.Remove(key);
                }
                header["cond_stage_model.model.transformer.resblocks.0.attn.in_proj_weight"] = [3072, 1024];
                header[toK] = [320, 1024];
                break;
            case "sdxl":
            case "sdxl-refiner":
                header["conditioner.embedders.1.model.transformer.resblocks.0.attn.in_proj_weight"] = [3840, 1280];
                header[LdmKeyMap.UnetPrefix + "label_emb.0.0.weight"] = [1280, 2816];
                header[toK] = [640, kind == "sdxl" ? 2048 : 1280];
                break;
            case "inpaint":
                header[LdmKeyMap.UnetPrefix + "input_blocks.0.0.weight"] = [320, 9, 3, 3];
                break;
            case "pix2pix":
                header[LdmKeyMap.UnetPrefix + "input_blocks.0.0.weight"] = [320, 8, 3, 3];
                break;
            case "unet-only":
                header = header.Where(p => p.Key.StartsWith(LdmKeyMap.UnetPrefix, StringComparison.Ordinal)).ToDictionary();
                break;
            case "lora":
                header = new() { ["lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight"] = [4, 320, 1, 1] };
                break;
            case "flux":
                header = new() { ["double_blocks.0.img_attn.qkv.weight"] = [9216, 3072], ["single_blocks.0.linear1.weight"] = [21504, 3072], ["img_in.weight"] = [3072, 64] };
                break;
            case "sd3":
                header = new() { [LdmKeyMap.UnetPrefix + "joint_blocks.0.x_block.attn.qkv.weight"] = [4608, 1536] };
                break;
            default:
                header["control_model.input_hint_block.0.weight"] = [16, 3, 3, 3];
                break;
        }
        var detected = CheckpointArchitecture.Detect(header);
        Assert.False(detected.IsSd1);
        Assert.Equal(expected, detected.Name);
    }

    [Fact]
    public void ADemoSingleFileReadsBackItsWeightsAndConfigsInEveryFloatFormat()
    {
        using var dir = new TempDirectory("nd-single");
        var folder = dir.Combine("demo");
        DemoCheckpoint.Write(folder);
        var demo = DiffusersCheckpoint.Open(folder);
        foreach (var dtype in new[] { SafetensorsDType.F32, SafetensorsDType.F16, SafetensorsDType.BF16 })
        {
            var path = dir.Combine($"demo-{dtype}.safetensors");
            SingleFileCheckpointWriter.Write(demo, path, dtype);
            var single = DiffusersCheckpoint.OpenSingleFile(path);
            Assert.Equal(CheckpointFormat.SingleFile, single.Format);
            Assert.Equal(Json(demo.Unet), Json(single.Unet));
            Assert.Equal(Json(demo.Vae), Json(single.Vae));
            Assert.Equal(Json(demo.TextEncoder), Json(single.TextEncoder));
            foreach (var (open, openSingle) in new (Func<ComponentWeights>, Func<ComponentWeights>)[]
            {
                (demo.OpenUnetWeights, single.OpenUnetWeights), (demo.OpenVaeWeights, single.OpenVaeWeights), (demo.OpenTextEncoderWeights, single.OpenTextEncoderWeights),
            })
            {
                using var expected = open();
                using var actual = openSingle();
                Assert.Equal(expected.Names.Order(StringComparer.Ordinal), actual.Names.Order(StringComparer.Ordinal));
                foreach (var name in expected.Names)
                {
                    var e = expected.Read(name);
                    var a = actual.Read(name);
                    Assert.Equal(e.Shape, a.Shape);
                    for (var i = 0; i < e.ElementCount; i++)
                    {
                        var want = dtype switch
                        {
                            SafetensorsDType.F32 => e.Values[i],
                            SafetensorsDType.F16 => (float)(Half)e.Values[i],
                            _ => BFloat16(e.Values[i]),
                        };
                        Assert.True(want == a.Values[i], $"{dtype} {name}[{i}]: {a.Values[i]} != {want}");
                    }
                }
            }
        }
    }

    /// <summary>float → bfloat16 → float with round-to-nearest-even, computed on the bits.</summary>
    private static float BFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        var upper = (bits + 0x7FFFu + ((bits >> 16) & 1)) & 0xFFFF0000u;
        return BitConverter.UInt32BitsToSingle(upper);
    }
}
