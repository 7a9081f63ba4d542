using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Tests.Support;

namespace NodeDiffusion.Models.Tests.Architectures;

public sealed class ClipVisionTests
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void MatchesTransformersOnAllOutputs()
    {
        using var reference = Reference.Open("clip-vision-tiny");
        var config = ClipVisionConfig.Load(reference.ConfigPath);
        using var weights = reference.OpenWeights();
        using var session = Sessions.CpuFactory.Create(ClipVisionGraph.Build(config, weights, hiddenStates: true), "clip-vision-tiny");

        var outputs = session.Run(new Dictionary<string, HostTensor> { ["pixel_values"] = reference.Float("pixel_values") });
        Compare.MaxAbs("image_embeds", reference.Float("image_embeds"), outputs["image_embeds"], Tolerance);
        Compare.MaxAbs("last_hidden_state", reference.Float("last_hidden_state"), outputs["last_hidden_state"], Tolerance);
        Compare.MaxAbs("penultimate_hidden_state", reference.Float("penultimate_hidden_state"), outputs["penultimate_hidden_state"], Tolerance);
        for (var i = 0; i <= config.NumHiddenLayers; i++)
        {
            Compare.MaxAbs($"vision hidden_states_{i}", reference.Float($"hidden_states_{i}"), outputs[$"hidden_states_{i}"], Tolerance);
        }
    }
}
