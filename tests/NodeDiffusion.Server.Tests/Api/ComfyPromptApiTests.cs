using System.Net;
using System.Text.Json.Nodes;
using NodeDiffusion.Server.Tests.Infrastructure;

namespace NodeDiffusion.Server.Tests.Api;

public sealed class ComfyPromptApiTests : IAsyncLifetime
{
    private readonly ServerHost _server = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task A_ComfyUI_api_prompt_runs_and_its_image_carries_ComfyUI_chunks()
    {
        var prompt = new JsonObject
        {
            ["1"] = new JsonObject { ["class_type"] = "EmptyImage", ["inputs"] = new JsonObject { ["width"] = 24, ["height"] = 16, ["batch_size"] = 1, ["color"] = 255 } },
            ["2"] = new JsonObject { ["class_type"] = "SaveImage", ["inputs"] = new JsonObject { ["filename_prefix"] = "comfy", ["images"] = new JsonArray("1", 0) } },
        };
        var (status, body) = await _server.Client.PostJsonAsync("/prompt", new JsonObject { ["prompt"] = prompt, ["client_id"] = "comfy-client" });
        Assert.Equal(HttpStatusCode.OK, status);
        var entry = await _server.Client.WaitForHistoryAsync(body!["prompt_id"]!.GetValue<string>());
        Assert.Equal("success", entry["status"]!["status_str"]!.GetValue<string>());
        var filename = entry["outputs"]!["2"]!["images"]![0]!["filename"]!.GetValue<string>();
        var bytes = await File.ReadAllBytesAsync(_server.PathOf("output", filename), TestContext.Current.CancellationToken);
        var text = System.Text.Encoding.Latin1.GetString(bytes);
        Assert.Contains("tEXtprompt\0", text, StringComparison.Ordinal);
        Assert.Contains("tEXtworkflow\0", text, StringComparison.Ordinal);
        Assert.Contains("\"class_type\":\"SaveImage\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ComfyUI_prompt_with_a_node_we_lack_is_refused_naming_it()
    {
        var prompt = new JsonObject
        {
            ["1"] = new JsonObject { ["class_type"] = "UpscaleModelLoader", ["inputs"] = new JsonObject { ["model_name"] = "x.pth" } },
            ["2"] = new JsonObject { ["class_type"] = "SaveImage", ["inputs"] = new JsonObject { ["filename_prefix"] = "c", ["images"] = new JsonArray("1", 0) } },
        };
        var (status, body) = await _server.Client.PostJsonAsync("/prompt", new JsonObject { ["prompt"] = prompt });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("unknown_node_type", body!["node_errors"]!["1"]!["errors"]![0]!["type"]!.GetValue<string>());
    }
}
