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
    public void InputsEmbedsGraphMatchesWhenFedTheTokenTable()
    {
        using var reference = Reference.Open("clip-text-tiny");
        var config = ClipTextConfig.Load(reference.ConfigPath);
        using var weights = reference.OpenWeights();
        using var session = Sessions.CpuFactory.Create(ClipTextGraph.Build(config, weights, new ClipTextGraphOptions(InputsEmbeds: true)), "clip-text-embeds");
        Assert.DoesNotContain(session.Session.OverridableInitializerMetadata.Keys, k => k.Contains("token_embedding", StringComparison.Ordinal));

        // The caller's lookup (where textual-inversion vectors would be spliced in).
        var ids = reference.Int64("input_ids");
        var table = weights.Read("text_model.embeddings.token_embedding.weight").Values.ToArray();
        var d = config.HiddenSize;
        var embeds = new float[ids.Data.Length * d];
        for (var i = 0; i < ids.Data.Length; i++)
        {
            Array.Copy(table, ids.Data[i] * d, embeds, i * d, d);
        }
        var outputs = session.Run(new Dictionary<string, HostTensor>
        {
            ["input_ids"] = ids,
            ["inputs_embeds"] = new FloatTensor([.. ids.Shape, d], embeds),
        });
        Compare.MaxAbs("inputs_embeds last_hidden_state", reference.Float("last_hidden_state"), outputs["last_hidden_state"], Tolerance);
        Compare.MaxAbs("inputs_embeds pooler_output", reference.Float("pooler_output"), outputs["pooler_output"], Tolerance);
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
