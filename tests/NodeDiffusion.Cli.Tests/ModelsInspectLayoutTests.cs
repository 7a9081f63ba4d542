using System.Text.Json.Nodes;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Cli.Tests;

/// <summary>Key-layout detection on synthetic files for the kinds with no real sample in ../shared.</summary>
public sealed class ModelsInspectLayoutTests : IDisposable
{
    private readonly TempDirectory _work = new("nd-inspect-layout");

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task KohyaLorasCountTheModulesThatExistInSd15()
    {
        var path = SyntheticSafetensors.Write(Path.Combine(_work.Path, "kohya.safetensors"),
        [
            ("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q.lora_down.weight", [4, 320]),
            ("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q.lora_up.weight", [320, 4]),
            ("lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q.alpha", []),
            ("lora_te_text_model_encoder_layers_0_self_attn_q_proj.lora_down.weight", [4, 768]),
            ("lora_te_text_model_encoder_layers_0_self_attn_q_proj.lora_up.weight", [768, 4]),
            ("lora_unet_no_such_module.lora_down.weight", [4, 8]),
            ("lora_unet_no_such_module.lora_up.weight", [8, 4]),
        ], new Dictionary<string, string> { ["ss_network_module"] = "networks.lora" });

        var report = await InspectAsync(path);

        Assert.Equal("lora", report["kind"]!.GetValue<string>());
        Assert.Equal("kohya", report["variant"]!.GetValue<string>());
        Assert.Equal("networks.lora", report["metadata"]!["ss_network_module"]!.GetValue<string>());
        Assert.Equal(2, report["sd15_match"]!["matched"]!.GetValue<int>());
        Assert.Equal(3, report["sd15_match"]!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task LycorisAndPeftLorasAreTold()
    {
        var lycoris = SyntheticSafetensors.Write(Path.Combine(_work.Path, "loha.safetensors"),
        [
            ("lora_unet_down_blocks_0_attentions_0_proj_in.hada_w1_a", [320, 4]),
            ("lora_unet_down_blocks_0_attentions_0_proj_in.hada_w1_b", [4, 320]),
        ]);
        Assert.Equal("LyCORIS", (await InspectAsync(lycoris))["variant"]!.GetValue<string>());

        var peft = SyntheticSafetensors.Write(Path.Combine(_work.Path, "peft.safetensors"),
        [
            ("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.lora_A.weight", [4, 768]),
            ("unet.down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.lora_B.weight", [320, 4]),
        ]);
        var report = await InspectAsync(peft);
        Assert.Equal("diffusers-PEFT", report["variant"]!.GetValue<string>());
        Assert.Equal(1, report["sd15_match"]!["matched"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("model.diffusion_model.input_blocks.0.0.weight", "cond_stage_model.transformer.text_model.embeddings.token_embedding.weight", "checkpoint", "SD1.x")]
    [InlineData("model.diffusion_model.input_blocks.0.0.weight", "conditioner.embedders.1.model.token_embedding.weight", "checkpoint", "SDXL")]
    [InlineData("model.diffusion_model.input_blocks.0.0.weight", "cond_stage_model.model.token_embedding.weight", "checkpoint", "SD2.x")]
    [InlineData("control_model.input_hint_block.0.weight", "control_model.zero_convs.0.0.weight", "controlnet", "ldm")]
    [InlineData("image_proj.proj.weight", "ip_adapter.1.to_k_ip.weight", "ip_adapter", "base")]
    [InlineData("vision_model.embeddings.patch_embedding.weight", "visual_projection.weight", "clip_vision", "transformers CLIPVisionModel")]
    [InlineData("encoder.down.0.block.0.conv1.weight", "decoder.up.0.block.0.conv1.weight", "vae", "AutoencoderKL")]
    [InlineData("768.0.linear.0.weight", "1280.1.linear.1.bias", "hypernetwork", "A1111")]
    public async Task SingleFileLayoutsAreNamed(string key, string otherKey, string kind, string variant)
    {
        var path = SyntheticSafetensors.Write(Path.Combine(_work.Path, "model.safetensors"), [(key, [2, 2]), (otherKey, [2, 2])]);
        var report = await InspectAsync(path);
        Assert.Equal(kind, report["kind"]!.GetValue<string>());
        Assert.Equal(variant, report["variant"]!.GetValue<string>());
    }

    [Fact]
    public async Task DiffusersFoldersAreCheckpoints()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work.Path, "sd15")).FullName;
        File.WriteAllText(Path.Combine(folder, "model_index.json"), """{"_class_name": "StableDiffusionPipeline", "unet": ["diffusers", "UNet2DConditionModel"]}""");
        Directory.CreateDirectory(Path.Combine(folder, "unet"));
        SyntheticSafetensors.Write(Path.Combine(folder, "unet", "diffusion_pytorch_model.safetensors"),
            [("down_blocks.0.attentions.0.transformer_blocks.0.attn2.to_k.weight", [320, 768]), ("conv_in.weight", [320, 4, 3, 3])]);

        var report = await InspectAsync(folder);

        Assert.Equal("checkpoint", report["kind"]!.GetValue<string>());
        Assert.Equal("SD1.x", report["variant"]!.GetValue<string>());
        Assert.Equal("diffusers folder", report["format"]!.GetValue<string>());
        Assert.Equal(2, report["tensor_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task AFolderWithoutModelIndexIsExitTwo()
    {
        var result = await CliProcess.RunAsync(_work.Path, "models", "inspect", _work.Path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("model_index.json", result.StandardError, StringComparison.Ordinal);
    }

    private async Task<JsonNode> InspectAsync(string path)
    {
        var result = await CliProcess.RunAsync(_work.Path, "models", "inspect", "--json", path);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return JsonNode.Parse(result.StandardOutput)!;
    }
}
