using System.Net;
using System.Text.Json.Nodes;
using NodeDiffusion.Server.Tests.Infrastructure;
using NodeDiffusion.Server.Tests.Realtime;
using SixLabors.ImageSharp;

namespace NodeDiffusion.Server.Tests.Api;

public sealed class ComfyObjectInfoTests : IAsyncLifetime
{
    private readonly ServerHost _server = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    public static TheoryData<string, string[], string[]> CoreNodes => new()
    {
        { "CheckpointLoaderSimple", ["ckpt_name"], ["MODEL", "CLIP", "VAE"] },
        { "CLIPTextEncode", ["text", "clip"], ["CONDITIONING"] },
        { "KSampler", ["model", "seed", "steps", "cfg", "sampler_name", "scheduler", "positive", "negative", "latent_image", "denoise"], ["LATENT"] },
        { "VAEDecode", ["samples", "vae"], ["IMAGE"] },
        { "EmptyLatentImage", ["width", "height", "batch_size"], ["LATENT"] },
        { "SaveImage", ["images", "filename_prefix"], [] },
        { "LoraLoader", ["model", "clip", "lora_name", "strength_model", "strength_clip"], ["MODEL", "CLIP"] },
    };

    [Theory]
    [MemberData(nameof(CoreNodes))]
    public async Task Object_info_lists_core_nodes_under_their_ComfyUI_names_and_inputs(string comfyClass, string[] inputs, string[] outputs)
    {
        var (status, all) = await _server.Client.GetJsonAsync("/object_info");
        Assert.Equal(HttpStatusCode.OK, status);
        var node = all![comfyClass]!;
        Assert.Equal(comfyClass, node["name"]!.GetValue<string>());
        var required = node["input"]!["required"]!.AsObject();
        Assert.Equal(inputs.Order(), required.Select(p => p.Key).Order());
        Assert.Equal(outputs, node["output"]!.AsArray().Select(o => o!.GetValue<string>()));

        var (oneStatus, one) = await _server.Client.GetJsonAsync($"/api/object_info/{comfyClass}");
        Assert.Equal(HttpStatusCode.OK, oneStatus);
        Assert.Equal(comfyClass, one![comfyClass]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Combo_inputs_list_the_models_a_ComfyUI_client_can_pick()
    {
        var (_, all) = await _server.Client.GetJsonAsync("/object_info");
        var checkpoints = all!["CheckpointLoaderSimple"]!["input"]!["required"]!["ckpt_name"]![0]!.AsArray();
        Assert.Contains("nodediffusion-demo", checkpoints.Select(c => c!.GetValue<string>()));
        var samplers = all["KSampler"]!["input"]!["required"]!["sampler_name"]![0]!.AsArray().Select(s => s!.GetValue<string>());
        Assert.Contains("euler", samplers);
        var seed = all["KSampler"]!["input"]!["required"]!["seed"]![1]!;
        Assert.Equal(ulong.MaxValue, seed["max"]!.GetValue<ulong>());
        Assert.True(seed["control_after_generate"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_ComfyUI_text_to_image_prompt_runs_with_progress_and_its_image_downloads()
    {
        await using var ws = await ComfyWsLog.ConnectAsync(_server.BaseAddress, "txt2img");
        var promptId = await _server.Client.QueueComfyAsync(ComfyPrompts.TextToImage(size: 64, steps: 3), "txt2img");
        await ws.WaitForFinishAsync(promptId);
        var messages = ws.Of(promptId);
        Assert.Contains(messages, m => ComfyWsLog.TypeOf(m) == "execution_success");
        // The sampler reports each step (other nodes may report their own progress too).
        var progress = messages.Where(m => ComfyWsLog.TypeOf(m) == "progress" && m["data"]!["node"]!.GetValue<string>() == "3").Select(m => m["data"]!).ToList();
        Assert.Equal([1, 2, 3], progress.Select(p => p["value"]!.GetValue<int>()));
        Assert.All(progress, p => Assert.Equal(3, p["max"]!.GetValue<int>()));
        var executed = messages.Single(m => ComfyWsLog.TypeOf(m) == "executed")["data"]!;
        Assert.Equal("9", executed["node"]!.GetValue<string>());
        var image = executed["output"]!["images"]![0]!;
        var query = $"filename={Uri.EscapeDataString(image["filename"]!.GetValue<string>())}&subfolder={image["subfolder"]}&type={image["type"]}";
        using var response = await _server.Client.GetAsync($"/view?{query}", TestContext.Current.CancellationToken);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        using var decoded = Image.Load(bytes);
        Assert.Equal(64, decoded.Width);
        Assert.Equal(64, decoded.Height);
    }
}
