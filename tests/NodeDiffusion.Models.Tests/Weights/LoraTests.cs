using System.Text.Json;
using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Tests.Support;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Models.Weights.Lora;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Models.Tests.Weights;

public sealed class LoraTests
{
    private static string Sd15(string component) => SharedData.Require($"real-data/tokenizer/sd15-configs/{component}/config.json");

    private static (IReadOnlyList<ExpectedWeight> Unet, IReadOnlyList<ExpectedWeight> Text) Sd15Manifests()
    {
        var unet = new WeightManifest();
        UNet2DConditionGraph.Build(UNet2DConditionConfig.Load(Sd15("unet")), unet);
        var text = new WeightManifest();
        ClipTextGraph.Build(ClipTextConfig.Load(Sd15("text_encoder")), text);
        return (unet.Expected, text.Expected);
    }

    [Fact]
    public void KohyaModuleNamesResolveToTheTableModules()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedData.Require("real-data/keymaps/kohya_sd15_lora_modules.json")));
        var (unet, text) = Sd15Manifests();
        var names = KohyaLora.ModuleNames(KohyaLora.UnetPrefix, unet.Select(e => e.Name))
            .Concat(KohyaLora.ModuleNames(KohyaLora.TextEncoderPrefix, text.Select(e => e.Name)))
            .ToDictionary();
        var modules = doc.RootElement.GetProperty("modules").EnumerateArray().ToList();
        Assert.Equal(264, modules.Count);
        foreach (var m in modules)
        {
            var kohya = m.GetProperty("kohya_module").GetString()!;
            var diffusers = m.GetProperty("diffusers_module").GetString()!;
            var expected = diffusers[(diffusers.IndexOf('.', StringComparison.Ordinal) + 1)..] + ".weight";
            Assert.True(names.TryGetValue(kohya, out var target), $"no parameter for {kohya}");
            Assert.Equal(expected, target);
        }
    }

    [Fact]
    public void RealSafeloraFilesMapOntoSd15Shapes()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedData.Require("real-data/keymaps/cloneofsimo_safeloras_sd15_index_map.json")));
        var unetConfig = UNet2DConditionConfig.Load(Sd15("unet"));
        var textConfig = ClipTextConfig.Load(Sd15("text_encoder"));
        var unetOrder = CloneofsimoLora.UnetModules(unetConfig);
        var textOrder = CloneofsimoLora.TextEncoderModules(textConfig);
        Assert.Equal(doc.RootElement.GetProperty("unet").EnumerateArray().Select(e => e.GetString()!["unet.".Length..]), unetOrder);
        Assert.Equal(doc.RootElement.GetProperty("text_encoder").EnumerateArray().Select(e => e.GetString()!["text_encoder.".Length..]), textOrder);

        var (unet, text) = Sd15Manifests();
        var shapes = unet.Concat(text).ToDictionary(e => e.Name, e => e.Shape);
        var baseWeights = new ShapeOnlySource(shapes);
        foreach (var file in new[] { "lora_disney.safetensors", "analog_svd_rank4.safetensors" })
        {
            using var lora = SafetensorsWeightSource.Open(SharedData.Require("real-data/lora/" + file));
            var unetNet = CloneofsimoLora.Read(lora, "unet", unetOrder);
            var textNet = CloneofsimoLora.Read(lora, "text_encoder", textOrder);
            Assert.Equal(unetOrder.Count, unetNet.Modules.Count);
            // The constructor checks every up·down against the SD1.5 parameter shape.
            _ = new LoraMergedWeightSource(baseWeights, [(unetNet, 1f), (textNet, 1f)]);
            Report.Line($"{file}: {unetNet.Modules.Count} unet + {textNet.Modules.Count} text modules, rank {unetNet.Modules[0].Rank}");
        }
    }

    [Fact]
    public void KohyaLoraMergesExactlyAndChangesTheTextEncoderOutput()
    {
        using var reference = Reference.Open("clip-text-tiny");
        var config = ClipTextConfig.Load(reference.ConfigPath);
        using var weights = reference.OpenWeights();
        const string target = "text_model.encoder.layers.2.self_attn.q_proj.weight";
        var random = new Random(11);
        float[] Randoms(int n) => Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var down = Randoms(4 * 32);
        var up = Randoms(32 * 4);
        var lora = new DictionaryWeightSource(
        [
            WeightTensor.FromValues("lora_te_text_model_encoder_layers_2_self_attn_q_proj.lora_down.weight", [4, 32], down),
            WeightTensor.FromValues("lora_te_text_model_encoder_layers_2_self_attn_q_proj.lora_up.weight", [32, 4], up),
            WeightTensor.FromValues("lora_te_text_model_encoder_layers_2_self_attn_q_proj.alpha", [], [2f]),
        ], "synthetic kohya lora");
        var network = KohyaLora.Read(lora, KohyaLora.TextEncoderPrefix, weights.Names);
        var merged = new LoraMergedWeightSource(weights, [(network, 0.8f)]);

        var original = weights.Read(target).Values.ToArray();
        var patched = merged.Read(target).Values.ToArray();
        double maxError = 0;
        for (var o = 0; o < 32; o++)
        {
            for (var i = 0; i < 32; i++)
            {
                double delta = 0;
                for (var r = 0; r < 4; r++)
                {
                    delta += (double)up[(o * 4) + r] * down[(r * 32) + i];
                }
                var expected = original[(o * 32) + i] + (0.8 * (2.0 / 4) * delta);
                maxError = Math.Max(maxError, Math.Abs(expected - patched[(o * 32) + i]));
            }
        }
        Report.Line($"kohya merge max abs error vs double: {maxError:E2}");
        Assert.True(maxError < 1e-5);
        Assert.Equal(weights.Read("text_model.encoder.layers.1.self_attn.q_proj.weight").Values.ToArray(), merged.Read("text_model.encoder.layers.1.self_attn.q_proj.weight").Values.ToArray());

        using var session = Sessions.CpuFactory.Create(ClipTextGraph.Build(config, merged), "clip-lora");
        var output = session.Run(new Dictionary<string, HostTensor> { ["input_ids"] = reference.Int64("input_ids") })["last_hidden_state"];
        var change = output.Data.Zip(reference.Float("last_hidden_state").Data, (a, b) => Math.Abs(a - b)).Max();
        Report.Line($"LoRA moves last_hidden_state by {change:E2}");
        Assert.True(change > 1e-3);

        var bad = new DictionaryWeightSource(
            [WeightTensor.FromValues("lora_te_text_model_encoder_layers_9_self_attn_q_proj.lora_down.weight", [1, 32], new float[32])], "lora for a deeper model");
        var error = Assert.Throws<WeightBindingException>(() => KohyaLora.Read(bad, KohyaLora.TextEncoderPrefix, weights.Names));
        Assert.Contains("lora_te_text_model_encoder_layers_9_self_attn_q_proj", error.Message);
    }

    /// <summary>Parameter shapes without data, for checking LoRA files against full-size SD1.5.</summary>
    private sealed class ShapeOnlySource(Dictionary<string, long[]> shapes) : IWeightSource
    {
        public IReadOnlyCollection<string> Names => shapes.Keys;

        public string Description => "SD1.5 parameter shapes";

        public bool Contains(string name) => shapes.ContainsKey(name);

        public long[] GetShape(string name) => shapes[name];

        public WeightTensor Read(string name) => throw new InvalidOperationException("shapes only");
    }
}
