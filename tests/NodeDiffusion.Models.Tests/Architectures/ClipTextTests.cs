using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Tests.Support;
using NodeDiffusion.Models.Weights;

namespace NodeDiffusion.Models.Tests.Architectures;

public sealed class ClipTextTests
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void MatchesTransformersOnAllOutputs()
    {
        using var reference = Reference.Open("clip-text-tiny");
        var config = ClipTextConfig.Load(reference.ConfigPath);
        using var weights = reference.OpenWeights();
        var model = ClipTextGraph.Build(config, weights, new ClipTextGraphOptions(HiddenStates: true, ClipSkips: [1]));
        using var session = Sessions.CpuFactory.Create(model, "clip-text-tiny");

        var outputs = session.Run(new Dictionary<string, HostTensor> { ["input_ids"] = reference.Int64("input_ids") });

        Compare.MaxAbs("last_hidden_state", reference.Float("last_hidden_state"), outputs["last_hidden_state"], Tolerance);
        Compare.MaxAbs("pooler_output", reference.Float("pooler_output"), outputs["pooler_output"], Tolerance);
        for (var i = 0; i <= config.NumHiddenLayers; i++)
        {
            Compare.MaxAbs($"hidden_states_{i}", reference.Float($"hidden_states_{i}"), outputs[$"hidden_states_{i}"], Tolerance);
        }
        Compare.MaxAbs("clip_skip_1", reference.Float("diffusers_clip_skip_1"), outputs["clip_skip_1"], Tolerance);
    }

    [Fact]
    public void MissingAndUnexpectedWeightsAreNamed()
    {
        using var reference = Reference.Open("clip-text-tiny");
        var config = ClipTextConfig.Load(reference.ConfigPath);
        using var file = reference.OpenWeights();
        var tensors = file.Names.Where(n => n != "text_model.final_layer_norm.weight").Select(file.Read).ToList();
        tensors.Add(WeightTensor.FromValues("text_model.extra.weight", [1], [1f]));
        var broken = new DictionaryWeightSource(tensors, "broken clip");

        var error = Assert.Throws<WeightBindingException>(() => ClipTextGraph.Build(config, broken));
        Assert.Contains("missing weight 'text_model.final_layer_norm.weight' (expected shape [32])", error.Message);
        Assert.Contains("unexpected weight 'text_model.extra.weight'", error.Message);
    }
}
