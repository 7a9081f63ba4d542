using System.Net;
using System.Text.Json.Nodes;
using NodeDiffusion.Server.Tests.Infrastructure;

namespace NodeDiffusion.Server.Tests.Api;

public sealed class PromptApiTests : IAsyncLifetime
{
    private readonly ServerHost _server = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Theory]
    [InlineData("")]
    [InlineData("/api")]
    public async Task A_valid_workflow_runs_and_its_image_is_served(string prefix)
    {
        var (status, body) = await _server.Client.PostJsonAsync(prefix + "/prompt", Workflows.Prompt(Workflows.SaveBlueImage("blue"), "client-1"));
        Assert.Equal(HttpStatusCode.OK, status);
        var promptId = body!["prompt_id"]!.GetValue<string>();
        Assert.True(Guid.TryParse(promptId, out _));
        Assert.NotNull(body["number"]);
        Assert.Empty(body["node_errors"]!.AsObject());

        var entry = await _server.Client.WaitForHistoryAsync(promptId);
        Assert.Equal("success", entry["status"]!["status_str"]!.GetValue<string>());
        Assert.True(entry["status"]!["completed"]!.GetValue<bool>());
        var image = entry["outputs"]!["2"]!["images"]![0]!;
        Assert.StartsWith("blue", image["filename"]!.GetValue<string>());
        Assert.Equal("output", image["type"]!.GetValue<string>());
        Assert.Equal("client-1", entry["prompt"]![3]!["client_id"]!.GetValue<string>());

        using var view = await _server.Client.GetAsync($"{prefix}/view?filename={Uri.EscapeDataString(image["filename"]!.GetValue<string>())}&type=output&subfolder=",
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        Assert.Equal("image/png", view.Content.Headers.ContentType!.MediaType);
        var png = await view.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        using var decoded = SixLabors.ImageSharp.Image.Load(png);
        Assert.Equal((16, 8), (decoded.Width, decoded.Height));
    }

    [Fact]
    public async Task An_invalid_workflow_is_refused_with_every_error_per_node_and_nothing_is_queued()
    {
        var workflow = Workflows.Native(
            ("1", new JsonObject { ["type"] = "NoSuchNode" }),
            ("2", new JsonObject { ["type"] = "EmptyImage", ["inputs"] = new JsonObject { ["width"] = -5, ["height"] = 8, ["batch_size"] = 1, ["color"] = 0 } }),
            ("3", new JsonObject { ["type"] = "SaveImage", ["links"] = new JsonObject { ["images"] = new JsonArray("2", 0) } }),
            ("4", new JsonObject { ["type"] = "SaveImage" }));
        var (status, body) = await _server.Client.PostJsonAsync("/prompt", Workflows.Prompt(workflow));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body!["error"]!["message"]);
        var nodeErrors = body["node_errors"]!.AsObject();
        Assert.Equal("unknown_node_type", nodeErrors["1"]!["errors"]![0]!["type"]!.GetValue<string>());
        var range = nodeErrors["2"]!["errors"]![0]!;
        Assert.Equal("value_out_of_range", range["type"]!.GetValue<string>());
        Assert.Equal("width", range["extra_info"]!["input_name"]!.GetValue<string>());
        Assert.Equal("EmptyImage", nodeErrors["2"]!["class_type"]!.GetValue<string>());
        Assert.Contains(nodeErrors["4"]!["errors"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "missing_required_input");
        Assert.Contains(body["errors"]!.AsArray(), e => e!["code"]!.GetValue<string>() == "missing_required_input" && e["node_id"]!.GetValue<string>() == "4");

        var (_, queue) = await _server.Client.GetJsonAsync("/queue");
        Assert.Empty(queue!["queue_pending"]!.AsArray());
        Assert.Empty(queue["queue_running"]!.AsArray());
    }

    [Theory]
    [InlineData("{not json", "invalid_json")]
    [InlineData("", "invalid_json")]
    [InlineData("[1,2]", "invalid_json")]
    [InlineData("{\"client_id\": \"x\"}", "no_prompt")]
    [InlineData("{\"prompt\": 5}", "invalid_prompt")]
    [InlineData("{\"workflow\": 5}", "invalid_json")]
    [InlineData("{\"workflow\": {\"format\": \"nodediffusion.workflow\", \"version\": 99, \"nodes\": {}}}", "unsupported_version")]
    [InlineData("{\"workflow\": {\"format\": \"nodediffusion.workflow\", \"version\": 1, \"nodes\": {}}, \"front\": \"yes\"}", "invalid_request")]
    public async Task Bad_prompt_bodies_get_a_400_naming_the_problem(string body, string type)
    {
        var (status, response) = await _server.Client.PostRawAsync("/prompt", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(type, response!["error"]!["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(response["error"]!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_client_may_choose_the_prompt_id_once()
    {
        var id = Guid.NewGuid().ToString();
        var body = Workflows.Prompt(Workflows.SaveBlueImage());
        body["prompt_id"] = id;
        var (status, response) = await _server.Client.PostJsonAsync("/prompt", body);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(id, response!["prompt_id"]!.GetValue<string>());
        var again = Workflows.Prompt(Workflows.SaveBlueImage());
        again["prompt_id"] = id;
        var (duplicateStatus, duplicate) = await _server.Client.PostJsonAsync("/prompt", again);
        Assert.Equal(HttpStatusCode.BadRequest, duplicateStatus);
        Assert.Contains(id, duplicate!["error"]!["message"]!.GetValue<string>());
        var bad = Workflows.Prompt(Workflows.SaveBlueImage());
        bad["prompt_id"] = "../../etc";
        var (badStatus, _) = await _server.Client.PostJsonAsync("/prompt", bad);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        await _server.Client.WaitForHistoryAsync(id);
    }

    [Fact]
    public async Task A_body_over_32_MiB_is_refused()
    {
        var big = "{\"workflow\": \"" + new string('x', 33 * 1024 * 1024) + "\"}";
        var (status, response) = await _server.Client.PostRawAsync("/prompt", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("too_large", response!["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_prompt_reports_the_queue_remaining()
    {
        var (status, body) = await _server.Client.GetJsonAsync("/api/prompt");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body!["exec_info"]!["queue_remaining"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("null")]
    [InlineData("http://127.0.0.1:1")]
    public async Task A_cross_origin_request_is_refused(string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/prompt") { Content = Http.Json(Workflows.Prompt(Workflows.SaveBlueImage())) };
        request.Headers.Add("Origin", origin);
        var (status, body) = await Http.ReadAsync(await _server.Client.SendAsync(request, TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("cross_origin", body!["error"]!["type"]!.GetValue<string>());
        var (_, queue) = await _server.Client.GetJsonAsync("/queue");
        Assert.Empty(queue!["queue_pending"]!.AsArray());
    }

    [Fact]
    public async Task A_same_origin_request_is_accepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/prompt");
        request.Headers.Add("Origin", _server.BaseAddress.GetLeftPart(UriPartial.Authority));
        var (status, _) = await Http.ReadAsync(await _server.Client.SendAsync(request, TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
