using System.Text.Json;
using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Architectures.Vae;
using NodeDiffusion.Models.Runtime;
using NodeDiffusion.Models.Tests.Support;
using NodeDiffusion.Models.Weights;
using NodeDiffusion.Models.Weights.Ldm;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Models.Tests.Weights;

/// <summary>
/// Single-file (ldm) SD1.x checkpoints, checked against ostris/ai-toolkit's independent SD1 key table
/// (real-data/keymaps/stable_diffusion_sd1.json: 1130 ldm → diffusers names with component prefixes unet_/vae_/te_).
/// </summary>
public sealed class LdmCheckpointTests
{
    private static Dictionary<string, string> KeyTable()
    {
        var path = SharedData.Require("real-data/keymaps/stable_diffusion_sd1.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("ldm_diffusers_keymap").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    private static string Sd15(string component) => SharedData.Require($"real-data/tokenizer/sd15-configs/{component}/config.json");

    [Fact]
    public void KeyMapAgreesWithTheIndependentSd1Table()
    {
        var table = KeyTable();
        var unet = UNet2DConditionConfig.Load(Sd15("unet"));
        var vae = AutoencoderKLConfig.Load(Sd15("vae"));
        var mismatches = new List<string>();
        foreach (var (ldm, prefixed) in table)
        {
            var ours = LdmKeyMap.Unet(ldm, unet) is { } u ? "unet_" + u
                : LdmKeyMap.Vae(ldm, vae) is { } v ? "vae_" + v
                : LdmKeyMap.TextEncoder(ldm) is { } t ? "te_" + t
                : null;
            if (ours != prefixed)
            {
                mismatches.Add($"{ldm}: expected {prefixed}, got {ours ?? "(unmapped)"}");
            }
        }
        Report.Line($"{table.Count} ldm keys compared, {mismatches.Count} mismatches");
        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches.Take(20)));
        Assert.Null(LdmKeyMap.Unet("model_ema.decay", unet));
        Assert.Null(LdmKeyMap.Unet("alphas_cumprod", unet));
    }

    [Fact]
    public void FullSizeSd15GraphsAskForExactlyTheTableNamesAndShapes()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedData.Require("real-data/keymaps/stable_diffusion_sd1.json")));
        var table = KeyTable().Values.ToHashSet();
        var shapes = doc.RootElement.GetProperty("ldm_diffusers_shape_map").EnumerateObject()
            .ToDictionary(p => KeyTable()[p.Name], p => p.Value[1].EnumerateArray().Select(e => e.GetInt64()).ToArray());

        var unet = new WeightManifest();
        UNet2DConditionGraph.Build(UNet2DConditionConfig.Load(Sd15("unet")), unet);
        var vae = new WeightManifest();
        var vaeConfig = AutoencoderKLConfig.Load(Sd15("vae"));
        AutoencoderKLGraph.BuildEncoder(vaeConfig, vae);
        AutoencoderKLGraph.BuildDecoder(vaeConfig, vae);
        var clip = new WeightManifest();
        ClipTextGraph.Build(ClipTextConfig.Load(Sd15("text_encoder")), clip);

        var ours = unet.Expected.Select(e => ("unet_" + e.Name, e.Shape))
            .Concat(vae.Expected.Select(e => ("vae_" + e.Name, e.Shape)))
            .Concat(clip.Expected.Select(e => ("te_" + e.Name, e.Shape)))
            .ToList();
        Report.Line($"SD1.5 parameters: unet {unet.Expected.Count}, vae {vae.Expected.Count}, text {clip.Expected.Count}; table {table.Count}");
        Assert.Equal(table.OrderBy(n => n, StringComparer.Ordinal), ours.Select(o => o.Item1).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(859_520_964L, unet.Expected.Sum(e => e.Shape.Aggregate(1L, (a, b) => a * b)));
        foreach (var (name, shape) in shapes)
        {
            Assert.Equal(shape, ours.Single(o => o.Item1 == name).Shape);
        }
    }

    [Fact]
    public void TinyModelsLoadFromAnLdmLayoutCheckpoint()
    {
        // Rename the tiny fixtures' diffusers weights to ldm names with the independent table (their block structure is
        // SD1.5's), as a single-file checkpoint would hold them, then load each component back through our key map.
        var toLdm = KeyTable().ToDictionary(p => p.Value, p => p.Key);
        var tensors = new List<WeightTensor>
        {
            WeightTensor.FromValues("model_ema.decay", [], [0.9999f]),
            WeightTensor.FromValues("alphas_cumprod", [3], [0.99f, 0.98f, 0.97f]),
        };
        foreach (var (fixture, prefix) in new[] { ("unet-tiny-sd15shape", "unet_"), ("vae-tiny", "vae_"), ("clip-text-tiny", "te_") })
        {
            using var reference = Reference.Open(fixture);
            using var weights = reference.OpenWeights();
            foreach (var name in weights.Names)
            {
                var t = weights.Read(name);
                var ldm = toLdm[prefix + name];
                var shape = LdmKeyMap.IsVaeAttentionProjection(name) && prefix == "vae_" ? [.. t.Shape, 1, 1] : t.Shape;
                tensors.Add(new WeightTensor(ldm, shape, t.Float32Bytes));
            }
        }
        var checkpoint = new DictionaryWeightSource(tensors, "tiny single-file checkpoint");
        Assert.True(StableDiffusionCheckpoint.IsLdmLayout(checkpoint));

        using (var reference = Reference.Open("vae-tiny"))
        {
            var config = AutoencoderKLConfig.Load(reference.ConfigPath);
            using var session = Sessions.CpuFactory.Create(AutoencoderKLGraph.BuildDecoder(config, StableDiffusionCheckpoint.Vae(checkpoint, config)), "ldm-vae");
            var outputs = session.Run(new Dictionary<string, HostTensor> { ["latent_sample"] = reference.Float("latent") });
            Compare.MaxAbs("ldm vae dec_sample", reference.Float("dec_sample"), outputs["sample"], 5e-5);
        }
        using (var reference = Reference.Open("clip-text-tiny"))
        {
            var config = ClipTextConfig.Load(reference.ConfigPath);
            using var session = Sessions.CpuFactory.Create(ClipTextGraph.Build(config, StableDiffusionCheckpoint.TextEncoder(checkpoint)), "ldm-clip");
            var outputs = session.Run(new Dictionary<string, HostTensor> { ["input_ids"] = reference.Int64("input_ids") });
            Compare.MaxAbs("ldm clip last_hidden_state", reference.Float("last_hidden_state"), outputs["last_hidden_state"], 1e-5);
        }
        using (var reference = Reference.Open("unet-tiny-sd15shape"))
        {
            var config = UNet2DConditionConfig.Load(reference.ConfigPath);
            using var session = Sessions.CpuFactory.Create(UNet2DConditionGraph.Build(config, StableDiffusionCheckpoint.Unet(checkpoint, config)), "ldm-unet");
            var outputs = session.Run(new Dictionary<string, HostTensor>
            {
                ["sample"] = reference.Float("sample"),
                ["timestep"] = reference.Float("timestep"),
                ["encoder_hidden_states"] = reference.Float("encoder_hidden_states"),
            });
            Compare.MaxAbs("ldm unet out_sample", reference.Float("out_sample"), outputs["out_sample"], 2e-5);
        }
    }
}
