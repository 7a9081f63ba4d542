using System.Net;
using System.Text.Json.Nodes;
using NodeDiffusion.Server.Hosting;
using NodeDiffusion.Server.Tests.Infrastructure;

namespace NodeDiffusion.Server.Tests.Api;

public sealed class InfoApiTests : IAsyncLifetime
{
    private readonly ServerHost _server = new();

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_server.PathOf("models", "checkpoints", "sd15"));
        File.WriteAllText(_server.PathOf("models", "checkpoints", "sd15", "model.safetensors"), "x");
        File.WriteAllText(_server.PathOf("models", "checkpoints", "notes.txt"), "x");
        Directory.CreateDirectory(_server.PathOf("models", "embeddings"));
        File.WriteAllText(_server.PathOf("models", "embeddings", "easynegative.safetensors"), "x");
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Object_info_describes_every_node_in_ComfyUI_shape()
    {
        var (status, body) = await _server.Client.GetJsonAsync("/object_info");
        Assert.Equal(HttpStatusCode.OK, status);
        var emptyImage = body!["EmptyImage"]!;
        Assert.Equal("INT", emptyImage["input"]!["required"]!["width"]![0]!.GetValue<string>());
        Assert.Equal("IMAGE", emptyImage["output"]![0]!.GetValue<string>());
        Assert.True(body["SaveImage"]!["output_node"]!.GetValue<bool>());
        Assert.NotNull(body["TestSlowSteps"]);

        var (oneStatus, one) = await _server.Client.GetJsonAsync("/api/object_info/ImageBlend");
        Assert.Equal(HttpStatusCode.OK, oneStatus);
        Assert.Equal("ImageBlend", Assert.Single(one!.AsObject()).Key);
        var (missingStatus, missing) = await _server.Client.GetJsonAsync("/object_info/NoSuchNode");
        Assert.Equal(HttpStatusCode.NotFound, missingStatus);
        Assert.Contains("NoSuchNode", missing!["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Models_and_embeddings_list_files_in_their_folders()
    {
        var (_, folders) = await _server.Client.GetJsonAsync("/models");
        Assert.Contains(folders!.AsArray(), f => f!.GetValue<string>() == "checkpoints");
        var (status, checkpoints) = await _server.Client.GetJsonAsync("/models/checkpoints");
        Assert.Equal(HttpStatusCode.OK, status);
        // The demo checkpoint is written at start-up when the folder holds no model.
        Assert.Equal(["nodediffusion-demo", "sd15/model.safetensors"], checkpoints!.AsArray().Select(f => f!.GetValue<string>()));
        var (emptyStatus, loras) = await _server.Client.GetJsonAsync("/api/models/loras");
        Assert.Equal(HttpStatusCode.OK, emptyStatus);
        // Only the demo LoRA, written with the demo checkpoint.
        Assert.Equal(["nodediffusion-demo-lora.safetensors"], loras!.AsArray().Select(f => f!.GetValue<string>()));
        var (unknownStatus, unknown) = await _server.Client.GetJsonAsync("/models/secrets");
        Assert.Equal(HttpStatusCode.NotFound, unknownStatus);
        Assert.Contains("checkpoints", unknown!["error"]!["message"]!.GetValue<string>());
        var (_, embeddings) = await _server.Client.GetJsonAsync("/embeddings");
        Assert.Contains("easynegative", embeddings!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(2, embeddings.AsArray().Count);
    }

    [Fact]
    public async Task System_stats_reports_the_system_and_devices()
    {
        var (status, body) = await _server.Client.GetJsonAsync("/system_stats");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body!["system"]!["ram_total"]!.GetValue<long>() > 0);
        Assert.NotEmpty(body["devices"]!.AsArray());
    }

    [Fact]
    public async Task User_workflows_are_saved_and_loaded_by_plain_name_only()
    {
        var workflow = Workflows.SaveBlueImage();
        var (saveStatus, _) = await _server.Client.PostJsonAsync("/userdata/workflows/mine.json", workflow);
        Assert.Equal(HttpStatusCode.OK, saveStatus);
        Assert.True(File.Exists(_server.PathOf("user", "workflows", "mine.json")));
        var (loadStatus, loaded) = await _server.Client.GetJsonAsync("/userdata/workflows/mine.json");
        Assert.Equal(HttpStatusCode.OK, loadStatus);
        Assert.True(JsonNode.DeepEquals(workflow, loaded));
        var (_, list) = await _server.Client.GetJsonAsync("/userdata/workflows");
        Assert.Contains(list!.AsArray(), n => n!.GetValue<string>() == "mine.json");

        var (badStatus, bad) = await _server.Client.PostJsonAsync("/userdata/workflows/mine.exe", workflow);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Contains(".json", bad!["error"]!["message"]!.GetValue<string>());
        var (traversalStatus, _) = await _server.Client.GetJsonAsync("/userdata/workflows/..%2F..%2Fsecret.json");
        Assert.NotEqual(HttpStatusCode.OK, traversalStatus);
    }

    [Theory]
    [InlineData("GET", "/api/no-such-route", HttpStatusCode.NotFound, "not_found")]
    [InlineData("DELETE", "/prompt", HttpStatusCode.MethodNotAllowed, "method_not_allowed")]
    public async Task Unknown_routes_and_methods_answer_in_JSON(string method, string path, HttpStatusCode expected, string type)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        var (status, body) = await Http.ReadAsync(await _server.Client.SendAsync(request, TestContext.Current.CancellationToken));
        Assert.Equal(expected, status);
        Assert.Equal(type, body!["error"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("http://127.0.0.1:8188", true)]
    [InlineData("http://localhost:5000;http://[::1]:5001", true)]
    [InlineData("http://0.0.0.0:8188", false)]
    [InlineData("http://*:8188", false)]
    [InlineData("http://127.0.0.1:8188;http://192.168.1.5:8188", false)]
    public void Only_loopback_urls_are_allowed_without_opting_in(string urls, bool safe)
    {
        Assert.Equal(safe, LoopbackGuard.NonLoopback(urls).Count == 0);
    }
}
