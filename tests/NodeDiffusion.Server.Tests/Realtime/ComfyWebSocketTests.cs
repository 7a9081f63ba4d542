using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using NodeDiffusion.Server.Realtime.Comfy;
using NodeDiffusion.Server.Tests.Infrastructure;
using SixLabors.ImageSharp;

namespace NodeDiffusion.Server.Tests.Realtime;

public sealed class ComfyWebSocketTests : IAsyncLifetime
{
    private readonly ServerHost _server = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static string Type(JsonObject m) => ComfyWsLog.TypeOf(m);

    [Fact]
    public async Task The_first_message_is_the_status_with_the_session_id()
    {
        await using var ws = await ComfyWsLog.ConnectAsync(_server.BaseAddress, "my-client");
        var status = await ws.WaitForAsync("status");
        Assert.Equal("my-client", status["data"]!["sid"]!.GetValue<string>());
        Assert.Equal(0, status["data"]!["status"]!["exec_info"]!["queue_remaining"]!.GetValue<int>());

        await using var anonymous = await ComfyWsLog.ConnectAsync(_server.BaseAddress, null, "/api/ws");
        var generated = (await anonymous.WaitForAsync("status"))["data"]!["sid"]!.GetValue<string>();
        Assert.Equal(32, generated.Length);
    }

    [Fact]
    public async Task A_prompt_run_twice_reports_its_steps_then_everything_cached()
    {
        await using var ws = await ComfyWsLog.ConnectAsync(_server.BaseAddress, "twice");
        var first = await _server.Client.QueueComfyAsync(ComfyPrompts.SaveEmptyImage(), "twice");
        await ws.WaitForFinishAsync(first);
        // executing: null comes after the history is written, so a client can read it at once.
        var (_, history) = await _server.Client.GetJsonAsync($"/history/{first}");
        Assert.Equal("success", history![first]!["status"]!["status_str"]!.GetValue<string>());

        var second = await _server.Client.QueueComfyAsync(ComfyPrompts.SaveEmptyImage(), "twice");
        await ws.WaitForFinishAsync(second);

        var run1 = ws.Of(first).Where(m => Type(m) != "progress_state").ToList();
        Assert.Equal(["execution_start", "execution_cached", "executing", "executing", "executed", "execution_success", "executing"], run1.Select(Type));
        Assert.Empty(run1[1]["data"]!["nodes"]!.AsArray());
        Assert.Equal("1", run1[2]["data"]!["node"]!.GetValue<string>());
        Assert.Equal("2", run1[3]["data"]!["node"]!.GetValue<string>());
        var image = run1[4]["data"]!["output"]!["images"]![0]!;
        Assert.Equal("2", run1[4]["data"]!["node"]!.GetValue<string>());
        Assert.StartsWith("comfy_", image["filename"]!.GetValue<string>());
        Assert.Equal("", image["subfolder"]!.GetValue<string>());
        Assert.Equal("output", image["type"]!.GetValue<string>());
        Assert.True(run1[0]["data"]!["timestamp"]!.GetValue<long>() > 0);
        Assert.Null(run1[^1]["data"]!["node"]);
        var states = ws.Of(first).Last(m => Type(m) == "progress_state")["data"]!["nodes"]!;
        Assert.Equal("finished", states["1"]!["state"]!.GetValue<string>());
        Assert.Equal("finished", states["2"]!["state"]!.GetValue<string>());
        Assert.DoesNotContain(ws.Of(second), m => Type(m) == "progress_state"); // nothing ran

        var run2 = ws.Of(second).Where(m => Type(m) != "progress_state").ToList();
        Assert.Equal(["execution_start", "execution_cached", "executed", "execution_success", "executing"], run2.Select(Type));
        Assert.Equal(["1", "2"], run2[1]["data"]!["nodes"]!.AsArray().Select(n => n!.GetValue<string>()).Order());
        Assert.Equal(image["filename"]!.GetValue<string>(), run2[2]["data"]!["output"]!["images"]![0]!["filename"]!.GetValue<string>());
        Assert.Null(run2[^1]["data"]!["node"]);
    }

    [Fact]
    public async Task Progress_and_PNG_previews_arrive_as_ComfyUI_sends_them()
    {
        await using var ws = await ComfyWsLog.ConnectAsync(_server.BaseAddress, "steps");
        var promptId = await _server.Client.QueueAsync(Workflows.SlowSteps(steps: 5, delayMs: 30), "steps");
        await ws.WaitForFinishAsync(promptId);

        var progress = ws.Of(promptId).Where(m => Type(m) == "progress").Select(m => m["data"]!).ToList();
        Assert.Equal([1, 2, 3, 4, 5], progress.Select(p => p["value"]!.GetValue<int>()));
        Assert.All(progress, p => Assert.Equal(5, p["max"]!.GetValue<int>()));
        Assert.All(progress, p => Assert.Equal("1", p["node"]!.GetValue<string>()));
        var states = ws.Of(promptId).Where(m => Type(m) == "progress_state").Select(m => m["data"]!["nodes"]!["1"]!).ToList();
        Assert.Equal([0, 1, 2, 3, 4, 5, 5], states.Select(s => s["value"]!.GetValue<int>()));
        Assert.Equal("running", states[^2]["state"]!.GetValue<string>());
        Assert.Equal("finished", states[^1]["state"]!.GetValue<string>());

        Assert.NotEmpty(ws.Frames);
        foreach (var frame in ws.Frames)
        {
            var (type, format) = ComfyWsLog.Header(frame);
            Assert.Equal(ComfyPreview.PreviewImage, type);
            Assert.Equal(ComfyPreview.FormatPng, format); // the test node previews PNG, sent as it is
            using var decoded = Image.Load(frame.AsSpan(8));
            Assert.Equal(8, decoded.Width);
            Assert.Equal(8, decoded.Height);
        }
    }

    [Fact]
    public async Task A_client_that_supports_preview_metadata_gets_type_4_frames()
    {
        await using var ws = await ComfyWsLog.ConnectAsync(_server.BaseAddress, "meta");
        await ws.WaitForAsync("status");
        await ws.SendAsync("""{"type":"feature_flags","data":{"supports_preview_metadata":true}}""");
        var flags = await ws.WaitForAsync("feature_flags");
        Assert.True(flags["data"]!["supports_preview_metadata"]!.GetValue<bool>());

        var promptId = await _server.Client.QueueAsync(Workflows.SlowSteps(steps: 3, delayMs: 30), "meta");
        await ws.WaitForFinishAsync(promptId);
        var frame = Assert.Single(ws.Frames.Take(1));
        var (type, metadataLength) = ComfyWsLog.Header(frame);
        Assert.Equal(ComfyPreview.PreviewImageWithMetadata, type);
        var metadata = JsonNode.Parse(Encoding.UTF8.GetString(frame, 8, (int)metadataLength))!;
        Assert.Equal("1", metadata["node_id"]!.GetValue<string>());
        Assert.Equal(promptId, metadata["prompt_id"]!.GetValue<string>());
        Assert.Equal("image/png", metadata["image_type"]!.GetValue<string>());
        using var decoded = Image.Load(frame.AsSpan(8 + (int)metadataLength));
        Assert.Equal(8, decoded.Width);
    }

    [Fact]
    public async Task A_failing_node_yields_execution_error_naming_it()
    {
        await using var ws = await ComfyWsLog.ConnectAsync(_server.BaseAddress, "fails");
        var workflow = Workflows.Native(("7", new JsonObject { ["type"] = "TestFail", ["inputs"] = new JsonObject { ["message"] = "the disk is on fire" } }));
        var promptId = await _server.Client.QueueAsync(workflow, "fails");
        await ws.WaitForFinishAsync(promptId);
        var error = ws.Of(promptId).Single(m => Type(m) == "execution_error")["data"]!;
        Assert.Equal("7", error["node_id"]!.GetValue<string>());
        Assert.Equal("TestFail", error["node_type"]!.GetValue<string>());
        Assert.Contains("the disk is on fire", error["exception_message"]!.GetValue<string>());
        Assert.Equal("NodeException", error["exception_type"]!.GetValue<string>());
        var state = ws.Of(promptId).Last(m => Type(m) == "progress_state")["data"]!["nodes"]!["7"]!;
        Assert.Equal("error", state["state"]!.GetValue<string>());
        var traceback = error["traceback"]!.AsArray();
        Assert.NotEmpty(traceback);
        Assert.DoesNotContain(traceback, line => line!.GetValue<string>().Contains("   at ", StringComparison.Ordinal));
        Assert.DoesNotContain(ws.Of(promptId), m => Type(m) == "execution_success");
    }

    [Fact]
    public async Task Interrupt_yields_execution_interrupted()
    {
        await using var ws = await ComfyWsLog.ConnectAsync(_server.BaseAddress, "stops");
        var promptId = await _server.Client.QueueAsync(Workflows.SlowSteps(steps: 500, delayMs: 20), "stops");
        await ws.WaitForAsync("progress", promptId);
        var (status, _) = await _server.Client.PostJsonAsync("/interrupt", new JsonObject());
        Assert.Equal(HttpStatusCode.OK, status);
        await ws.WaitForFinishAsync(promptId);
        var interrupted = ws.Of(promptId).Single(m => Type(m) == "execution_interrupted")["data"]!;
        Assert.Equal("1", interrupted["node_id"]!.GetValue<string>());
        Assert.Equal("TestSlowSteps", interrupted["node_type"]!.GetValue<string>());
        Assert.True(ws.Of(promptId).Count(m => Type(m) == "progress") < 500);
    }

    [Fact]
    public async Task A_prompt_is_reported_only_to_the_client_that_queued_it_and_status_to_all()
    {
        await using var alice = await ComfyWsLog.ConnectAsync(_server.BaseAddress, "alice");
        await using var bob = await ComfyWsLog.ConnectAsync(_server.BaseAddress, "bob");
        await alice.WaitForAsync("status");
        await bob.WaitForAsync("status");
        var forAlice = await _server.Client.QueueComfyAsync(ComfyPrompts.SaveEmptyImage("alice"), "alice");
        await alice.WaitForFinishAsync(forAlice);
        // Bob's socket gets its messages in order: once his own prompt has finished, any of Alice's would have come first.
        var forBob = await _server.Client.QueueComfyAsync(ComfyPrompts.SaveEmptyImage("bob"), "bob");
        await bob.WaitForFinishAsync(forBob);

        Assert.Empty(bob.Of(forAlice));
        Assert.Contains(alice.Of(forAlice), m => Type(m) == "execution_success");
        Assert.Contains(bob.Of(forBob), m => Type(m) == "execution_success");
        Assert.Empty(alice.Of(forBob));
        // Queue changes are broadcast: Bob heard the queue grow while Alice's prompt was queued.
        Assert.True(bob.Messages.Count(m => Type(m) == "status") >= 3);
    }

    [Fact]
    public async Task A_too_large_client_message_closes_the_socket_and_garbage_is_ignored()
    {
        await using var ws = await ComfyWsLog.ConnectAsync(_server.BaseAddress, "noisy");
        await ws.WaitForAsync("status");
        await ws.SendAsync("not json at all {");
        await ws.SendAsync("""{"type":"feature_flags","data":[1,2,3]}""");
        await ws.Socket.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, TestContext.Current.CancellationToken);
        var (code, _) = await _server.Client.GetJsonAsync("/prompt");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal(WebSocketState.Open, ws.Socket.State);

        await ws.SendAsync(new string('x', ComfyWsEndpoint.MaxIncomingMessageBytes + 1));
        await ws.WaitClosedAsync();
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, ws.CloseStatus);
        Assert.DoesNotContain(ws.Messages, m => Type(m) == "feature_flags");
    }

    [Fact]
    public async Task Ws_without_an_upgrade_bad_client_ids_and_other_origins_are_refused()
    {
        var (status, body) = await _server.Client.GetJsonAsync("/ws");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("WebSocket", body!["error"]!["message"]!.GetValue<string>());
        await Assert.ThrowsAnyAsync<WebSocketException>(() => ComfyWsLog.ConnectAsync(_server.BaseAddress, new string('a', 500)));
        // A page from another site must not be able to listen in (the browser sends its Origin with the upgrade).
        using var crossSite = new ClientWebSocket();
        crossSite.Options.SetRequestHeader("Origin", "http://evil.example");
        var uri = new UriBuilder(_server.BaseAddress) { Scheme = "ws", Path = "/ws" }.Uri;
        await Assert.ThrowsAnyAsync<WebSocketException>(() => crossSite.ConnectAsync(uri, TestContext.Current.CancellationToken));
        var (featuresStatus, features) = await _server.Client.GetJsonAsync("/features");
        Assert.Equal(HttpStatusCode.OK, featuresStatus);
        Assert.True(features!["supports_preview_metadata"]!.GetValue<bool>());
    }
}
