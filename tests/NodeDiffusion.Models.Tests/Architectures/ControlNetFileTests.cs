using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Checkpoints;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Tests.Support;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Models.Tests.Architectures;

/// <summary>The ControlNet file loader the nodes use: layout detection, config inference, the UNet trunk fill-in.</summary>
public sealed class ControlNetFileTests
{
    private const double Tolerance = 2e-5;

    [Fact]
    public void TheStoredReferenceFileLoadsAndMatchesDiffusers()
    {
        using var reference = Reference.Open("controlnet-tiny");
        using var unetReference = Reference.Open("unet-tiny-sd15shape");
        var unet = UNet2DConditionConfig.Load(unetReference.ConfigPath);

        var file = ControlNetFile.Open(reference.WeightsPath, unet, unetReference.WeightsPath);

        Assert.Equal(ControlNetLayout.Diffusers, file.Layout);
        Assert.Equal([16, 32, 96, 256], file.Config.ConditioningEmbeddingOutChannels);
        var outputs = Run(file, unetReference.WeightsPath, reference);
        for (var i = 0; i < 12; i++)
        {
            Compare.MaxAbs($"down_res_{i}", reference.Float($"down_res_{i}"), outputs[$"down_block_{i}_additional_residual"], Tolerance);
        }
        Compare.MaxAbs("mid_res", reference.Float("mid_res"), outputs["mid_block_additional_residual"], Tolerance);
    }

    [Fact]
    public void AnLdmLayoutFileGivesTheSameResidualsAsTheDiffusersOne()
    {
        using var reference = Reference.Open("controlnet-tiny");
        using var unetReference = Reference.Open("unet-tiny-sd15shape");
        var unet = UNet2DConditionConfig.Load(unetReference.ConfigPath);
        using var work = new TempDirectory("nd-controlnet-ldm");
        var ldmPath = work.Combine("tiny-ldm.safetensors");
        using (var own = SafetensorsFile.Open(reference.WeightsPath))
        using (var trunk = SafetensorsFile.Open(unetReference.WeightsPath))
        {
            var hintConvs = own.Names.Count(n => n.StartsWith("controlnet_cond_embedding.", StringComparison.Ordinal) && n.EndsWith(".weight", StringComparison.Ordinal));
            var tensors = own.Tensors.Select(t => SafetensorsTensor.FromFloat32(ToLdm(t.Name, hintConvs), t.Shape, own.ReadFloat32(t.Name)))
                .Concat(trunk.Tensors.Where(t => IsTrunk(t.Name)).Select(t => SafetensorsTensor.FromFloat32(ToLdm(t.Name, hintConvs), t.Shape, trunk.ReadFloat32(t.Name))))
                .ToList();
            SafetensorsWriter.WriteFile(ldmPath, tensors);
        }
        var unrelatedUnet = work.Combine("no-trunk.safetensors");
        using (var trunk = SafetensorsFile.Open(unetReference.WeightsPath))
        {
            // The ldm file carries its own trunk: the UNet given to it must not be where its weights come from.
            SafetensorsWriter.WriteFile(unrelatedUnet, trunk.Tensors.Select(t => SafetensorsTensor.FromFloat32(t.Name, t.Shape, new float[t.Shape.Aggregate(1L, (a, b) => a * b)])));
        }

        var ldm = ControlNetFile.Open(ldmPath, unet, unrelatedUnet);

        Assert.Equal(ControlNetLayout.Ldm, ldm.Layout);
        var expected = Run(ControlNetFile.Open(reference.WeightsPath, unet, unetReference.WeightsPath), unetReference.WeightsPath, reference);
        var actual = Run(ldm, unrelatedUnet, reference);
        foreach (var (name, tensor) in expected)
        {
            Compare.MaxAbs(name, tensor, actual[name], 1e-6);
        }
    }

    [Fact]
    public void ALoraIsRefusedWithAClearMessage()
    {
        using var unetReference = Reference.Open("unet-tiny-sd15shape");
        using var work = new TempDirectory("nd-controlnet-lora");
        var path = work.Combine("some-lora.safetensors");
        SafetensorsWriter.WriteFile(path, [
            SafetensorsTensor.FromFloat32("lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight", [4, 32], new float[128]),
            SafetensorsTensor.FromFloat32("lora_unet_down_blocks_0_attentions_0_proj_in.lora_up.weight", [32, 4], new float[128]),
        ]);

        var error = Assert.Throws<InvalidDataException>(() => ControlNetFile.Open(path, UNet2DConditionConfig.Load(unetReference.ConfigPath), unetReference.WeightsPath));

        Assert.Contains("some-lora.safetensors is not a ControlNet", error.Message, StringComparison.Ordinal);
        Assert.Contains("LoRA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AControlNetForAnotherUNetIsRefusedNamingTheMismatch()
    {
        using var reference = Reference.Open("controlnet-tiny");
        using var unetReference = Reference.Open("unet-tiny-sd15shape");
        var unet = UNet2DConditionConfig.Load(unetReference.ConfigPath);
        var wider = unet with { BlockOutChannels = [64, 64, 64, 64] };

        var error = Assert.Throws<InvalidDataException>(() => ControlNetFile.Open(reference.WeightsPath, wider, unetReference.WeightsPath));

        Assert.Contains("weights.safetensors", error.Message, StringComparison.Ordinal);
        Assert.Contains("64", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, FloatTensor> Run(ControlNetFile file, string unetWeights, Reference reference)
    {
        using var session = Sessions.CpuFactory.Create(file.Compile(unetWeights), "controlnet-file");
        return session.Run(new Dictionary<string, HostTensor>
        {
            ["sample"] = reference.Float("sample"),
            ["timestep"] = reference.Float("timestep"),
            ["encoder_hidden_states"] = reference.Float("encoder_hidden_states"),
            ["controlnet_cond"] = reference.Float("controlnet_cond"),
            ["conditioning_scale"] = reference.Float("conditioning_scale"),
        });
    }

    private static bool IsTrunk(string name) =>
        name.StartsWith("conv_in.", StringComparison.Ordinal) || name.StartsWith("time_embedding.", StringComparison.Ordinal) ||
        name.StartsWith("down_blocks.", StringComparison.Ordinal) || name.StartsWith("mid_block.", StringComparison.Ordinal);

    /// <summary>lllyasviel's cldm names for the SD1.5-shaped tiny ControlNet (layers_per_block 2), written out by hand.</summary>
    private static string ToLdm(string name, int hintConvs)
    {
        var p = name.Split('.');
        string Rest(int from) => string.Join('.', p[from..]);
        string Resnet(int from) => p[from] switch
        {
            "norm1" => "in_layers.0",
            "conv1" => "in_layers.2",
            "time_emb_proj" => "emb_layers.1",
            "norm2" => "out_layers.0",
            "conv2" => "out_layers.3",
            "conv_shortcut" => "skip_connection",
            _ => throw new InvalidOperationException(name),
        } + "." + Rest(from + 1);
        var ldm = p[0] switch
        {
            "conv_in" => "input_blocks.0.0." + Rest(1),
            "time_embedding" => $"time_embed.{(p[1] == "linear_1" ? 0 : 2)}.{Rest(2)}",
            "down_blocks" => p[2] switch
            {
                "resnets" => $"input_blocks.{1 + (int.Parse(p[1]) * 3) + int.Parse(p[3])}.0.{Resnet(4)}",
                "attentions" => $"input_blocks.{1 + (int.Parse(p[1]) * 3) + int.Parse(p[3])}.1.{Rest(4)}",
                _ => $"input_blocks.{3 + (int.Parse(p[1]) * 3)}.0.op.{Rest(5)}",
            },
            "mid_block" => p[1] == "attentions" ? "middle_block.1." + Rest(3) : $"middle_block.{(p[2] == "0" ? 0 : 2)}.{Resnet(3)}",
            "controlnet_cond_embedding" => p[1] switch
            {
                "conv_in" => "input_hint_block.0." + Rest(2),
                "conv_out" => $"input_hint_block.{2 * (hintConvs - 1)}.{Rest(2)}",
                _ => $"input_hint_block.{2 * (int.Parse(p[2]) + 1)}.{Rest(3)}",
            },
            "controlnet_down_blocks" => $"zero_convs.{p[1]}.0.{Rest(2)}",
            "controlnet_mid_block" => "middle_block_out.0." + Rest(1),
            _ => throw new InvalidOperationException(name),
        };
        return "control_model." + ldm;
    }
}
