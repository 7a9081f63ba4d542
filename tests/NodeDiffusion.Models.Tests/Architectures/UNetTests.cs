using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Tests.Support;

namespace NodeDiffusion.Models.Tests.Architectures;

public sealed class UNetTests
{
    private const double Tolerance = 2e-5;

    [Fact]
    public void MatchesDiffusersOnSquareNonSquareAndOddLatents()
    {
        using var reference = Reference.Open("unet-tiny-sd15shape");
        var config = UNet2DConditionConfig.Load(reference.ConfigPath);
        using var weights = reference.OpenWeights();
        using var session = Sessions.CpuFactory.Create(UNet2DConditionGraph.Build(config, weights), "unet-tiny");

        foreach (var (prefix, label) in new[] { ("", "out_sample"), ("ns_", "ns_out_sample"), ("odd_", "odd_out_sample") })
        {
            var outputs = session.Run(new Dictionary<string, HostTensor>
            {
                ["sample"] = reference.Float(prefix + "sample"),
                ["timestep"] = reference.Float(prefix + "timestep"),
                ["encoder_hidden_states"] = reference.Float(prefix + "encoder_hidden_states"),
            });
            Compare.MaxAbs(label, reference.Float(label), outputs["out_sample"], Tolerance);
        }
    }

    [Fact]
    public void ControlNetResidualsAreAddedToSkipsAndMid()
    {
        using var reference = Reference.Open("unet-tiny-sd15shape");
        var config = UNet2DConditionConfig.Load(reference.ConfigPath);
        using var weights = reference.OpenWeights();
        using var session = Sessions.CpuFactory.Create(UNet2DConditionGraph.Build(config, weights, new UNetGraphOptions(ControlNetResiduals: true)), "unet-tiny-controlnet");

        var inputs = new Dictionary<string, HostTensor>
        {
            ["sample"] = reference.Float("sample"),
            ["timestep"] = reference.Float("timestep"),
            ["encoder_hidden_states"] = reference.Float("encoder_hidden_states"),
            [UNet2DConditionGraph.MidResidual] = reference.Float("mid_res"),
        };
        for (var i = 0; i < 12; i++)
        {
            inputs[$"down_block_{i}_additional_residual"] = reference.Float($"down_res_{i}");
        }
        var outputs = session.Run(inputs);
        Compare.MaxAbs("out_sample_controlnet", reference.Float("out_sample_controlnet"), outputs["out_sample"], Tolerance);
    }
}
