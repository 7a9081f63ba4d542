using System.Globalization;
using NodeDiffusion.Formats.Safetensors;
using NodeDiffusion.Models.Architectures.Clip;
using NodeDiffusion.Models.Architectures.Common;
using NodeDiffusion.Models.Architectures.Unet;
using NodeDiffusion.Models.Architectures.Vae;
using NodeDiffusion.Models.Weights;

namespace NodeDiffusion.Models.Demo;

/// <summary>
/// Writes the demo checkpoint: an SD1.x-architecture model in diffusers layout, small enough that 20 steps at 256×256
/// take a few seconds on two CPU cores, with deterministic weights and a tokenizer made for it. Its images are
/// abstract textures; it exists so that every workflow runs end to end with no model installed.
/// </summary>
public static class DemoCheckpoint
{
    public const string Name = "nodediffusion-demo";
    private const int TextHidden = 64;

    /// <summary>
    /// Writes the demo into models/checkpoints/<see cref="Name"/>, its LoRA into models/loras and its embedding into
    /// models/embeddings, each unless it is already there; returns the checkpoint folder.
    /// </summary>
    public static string EnsureExists(string modelsRoot)
    {
        var folder = EnsureCheckpoint(modelsRoot);
        DemoLora.EnsureExists(modelsRoot, folder);
        DemoEmbedding.EnsureExists(modelsRoot, TextHidden);
        DemoControlNet.EnsureExists(modelsRoot, folder);
        DemoIpAdapter.EnsureExists(modelsRoot, folder);
        DemoHypernetwork.EnsureExists(modelsRoot);
        return folder;
    }

    private static string EnsureCheckpoint(string modelsRoot)
    {
        var folder = Path.Combine(modelsRoot, "checkpoints", Name);
        if (File.Exists(Path.Combine(folder, "model_index.json")))
        {
            return folder;
        }
        var staging = folder + ".partial-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
        Write(staging);
        try
        {
            Directory.Move(staging, folder);
        }
        catch (IOException) when (File.Exists(Path.Combine(folder, "model_index.json")))
        {
            // Another process wrote it first; theirs is identical.
            Directory.Delete(staging, recursive: true);
        }
        return folder;
    }

    public static void Write(string folder)
    {
        DemoTokenizer.Write(Path.Combine(folder, "tokenizer"));
        WriteComponent(folder, "text_encoder", "model.safetensors", TextEncoderConfig, json =>
            ClipTextGraph.Build(ClipTextConfig.From(json.Json), json.Recorded), seed: 1);
        WriteComponent(folder, "unet", "diffusion_pytorch_model.safetensors", UnetConfig, json =>
            UNet2DConditionGraph.Build(UNet2DConditionConfig.From(json.Json), json.Recorded), seed: 2);
        WriteComponent(folder, "vae", "diffusion_pytorch_model.safetensors", VaeConfig, json =>
        {
            var config = AutoencoderKLConfig.From(json.Json);
            var manifest = json.Recorded;
            AutoencoderKLGraph.BuildEncoder(config, manifest);
            AutoencoderKLGraph.BuildDecoder(config, manifest);
        }, seed: 3);
        Directory.CreateDirectory(Path.Combine(folder, "scheduler"));
        File.WriteAllText(Path.Combine(folder, "scheduler", "scheduler_config.json"), SchedulerConfig);
        File.WriteAllText(Path.Combine(folder, "model_index.json"), ModelIndex);
    }

    private static void WriteComponent(string folder, string component, string weightsFile, string config, Action<ManifestConfig> build, ulong seed)
    {
        var directory = Path.Combine(folder, component);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), config);
        var json = new ManifestConfig(ConfigJson.Parse(config, $"{component}/config.json"));
        build(json);
        SafetensorsWriter.WriteFile(Path.Combine(directory, weightsFile), DemoWeights.For(json.Recorded.Expected, seed),
            new Dictionary<string, string> { ["format"] = "pt", ["nodediffusion"] = "demo" });
    }

    /// <summary>A parsed config plus the manifest that records what its graphs ask for.</summary>
    private sealed class ManifestConfig(ConfigJson json)
    {
        public ConfigJson Json { get; } = json;

        public WeightManifest Recorded { get; } = new();
    }

    private static readonly string TextEncoderConfig = $$"""
        {
          "architectures": ["CLIPTextModel"],
          "model_type": "clip_text_model",
          "vocab_size": {{DemoTokenizer.VocabularySize}},
          "hidden_size": {{TextHidden}},
          "intermediate_size": 128,
          "num_hidden_layers": 4,
          "num_attention_heads": 4,
          "max_position_embeddings": 77,
          "hidden_act": "quick_gelu",
          "layer_norm_eps": 1e-05,
          "bos_token_id": 0,
          "eos_token_id": 2,
          "pad_token_id": 1,
          "projection_dim": {{TextHidden}}
        }
        """;

    private static readonly string UnetConfig = $$"""
        {
          "_class_name": "UNet2DConditionModel",
          "act_fn": "silu",
          "attention_head_dim": 8,
          "block_out_channels": [32, 64, 64, 64],
          "center_input_sample": false,
          "cross_attention_dim": {{TextHidden}},
          "down_block_types": ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
          "downsample_padding": 1,
          "flip_sin_to_cos": true,
          "freq_shift": 0,
          "in_channels": 4,
          "layers_per_block": 1,
          "mid_block_scale_factor": 1,
          "norm_eps": 1e-05,
          "norm_num_groups": 32,
          "out_channels": 4,
          "sample_size": 32,
          "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"],
          "use_linear_projection": false
        }
        """;

    private const string VaeConfig = """
        {
          "_class_name": "AutoencoderKL",
          "act_fn": "silu",
          "block_out_channels": [32, 32, 64, 64],
          "down_block_types": ["DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D"],
          "in_channels": 3,
          "latent_channels": 4,
          "layers_per_block": 1,
          "norm_num_groups": 32,
          "out_channels": 3,
          "sample_size": 256,
          "scaling_factor": 0.18215,
          "up_block_types": ["UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D"]
        }
        """;

    private const string SchedulerConfig = """
        {"_class_name": "PNDMScheduler", "beta_end": 0.012, "beta_schedule": "scaled_linear", "beta_start": 0.00085,
         "num_train_timesteps": 1000, "set_alpha_to_one": false, "skip_prk_steps": true, "steps_offset": 1}
        """;

    private const string ModelIndex = """
        {"_class_name": "StableDiffusionPipeline", "_diffusers_version": "0.27.2", "_nodediffusion": "demo",
         "text_encoder": ["transformers", "CLIPTextModel"], "tokenizer": ["transformers", "CLIPTokenizer"],
         "unet": ["diffusers", "UNet2DConditionModel"], "vae": ["diffusers", "AutoencoderKL"],
         "scheduler": ["diffusers", "PNDMScheduler"], "safety_checker": [null, null], "feature_extractor": [null, null]}
        """;
}
