using NodeDiffusion.Models.Architectures.ControlNet;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Tests.Support;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Models.Tests.Architectures;

public sealed class ControlNetTests
{
    private const double Tolerance = 2e-5;

    [Fact]
    public void MatchesDiffusersWithWeightsFromControlNetAndUNetFiles()
    {
        using var reference = Reference.Open("controlnet-tiny");
        var unetWeights = SharedData.Require("reference/unet-tiny-sd15shape/weights.safetensors");
        var config = ControlNetConfig.Load(reference.ConfigPath);
        using var weights = reference.OpenWeights(unetWeights);
        using var session = Sessions.CpuFactory.Create(ControlNetGraph.Build(config, weights), "controlnet-tiny");

        var outputs = session.Run(new Dictionary<string, HostTensor>
        {
            ["sample"] = reference.Float("sample"),
            ["timestep"] = reference.Float("timestep"),
            ["encoder_hidden_states"] = reference.Float("encoder_hidden_states"),
            ["controlnet_cond"] = reference.Float("controlnet_cond"),
            ["conditioning_scale"] = reference.Float("conditioning_scale"),
        });
        for (var i = 0; i < 12; i++)
        {
            Compare.MaxAbs($"down_res_{i}", reference.Float($"down_res_{i}"), outputs[$"down_block_{i}_additional_residual"], Tolerance);
        }
        Compare.MaxAbs("mid_res", reference.Float("mid_res"), outputs["mid_block_additional_residual"], Tolerance);
    }

    [Fact]
    public void ResidualOutputsDriveTheUNetResidualInputsByName()
    {
        using var reference = Reference.Open("controlnet-tiny");
        using var unetReference = Reference.Open("unet-tiny-sd15shape");
        var config = ControlNetConfig.Load(reference.ConfigPath);
        using var weights = reference.OpenWeights(unetReference.WeightsPath);
        using var controlnet = Sessions.CpuFactory.Create(ControlNetGraph.Build(config, weights), "controlnet-tiny");
        using var unetWeights = unetReference.OpenWeights();
        var unetConfig = UNet2DConditionConfig.Load(unetReference.ConfigPath);
        using var unet = Sessions.CpuFactory.Create(UNet2DConditionGraph.Build(unetConfig, unetWeights, new UNetGraphOptions(ControlNetResiduals: true)), "unet-tiny-controlnet");

        var shared = new Dictionary<string, HostTensor>
        {
            ["sample"] = reference.Float("sample"),
            ["timestep"] = reference.Float("timestep"),
            ["encoder_hidden_states"] = reference.Float("encoder_hidden_states"),
        };
        var residuals = controlnet.Run(new Dictionary<string, HostTensor>(shared)
        {
            ["controlnet_cond"] = reference.Float("controlnet_cond"),
            ["conditioning_scale"] = reference.Float("conditioning_scale"),
        });
        var unetInputs = new Dictionary<string, HostTensor>(shared);
        foreach (var (name, tensor) in residuals)
        {
            unetInputs[name] = tensor;
        }
        Assert.Equal(unet.InputNames.Order(), unetInputs.Keys.Order());
        var outputs = unet.Run(unetInputs);
        Compare.MaxAbs("controlnet → unet out_sample_controlnet", unetReference.Float("out_sample_controlnet"), outputs["out_sample"], Tolerance);
    }

    [Fact]
    public void ControlNetWeightsAloneReportTheMissingUNetTensors()
    {
        using var reference = Reference.Open("controlnet-tiny");
        var config = ControlNetConfig.Load(reference.ConfigPath);
        using var weights = reference.OpenWeights();
        var error = Assert.Throws<WeightBindingException>(() => ControlNetGraph.Build(config, weights));
        Assert.Contains("missing weight 'conv_in.weight' (expected shape [32, 4, 3, 3])", error.Message);
    }
}
