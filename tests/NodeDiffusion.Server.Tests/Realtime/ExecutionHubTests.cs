using NodeDiffusion.Server.Realtime;
using NodeDiffusion.Server.Tests.Infrastructure;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;

namespace NodeDiffusion.Server.Tests.Realtime;

public sealed class ExecutionHubTests : IAsyncLifetime
{
    private readonly ServerHost _server = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task A_client_sees_a_queued_workflow_start_progress_preview_and_complete()
    {
        await using var log = await HubEventLog.ConnectAsync(_server.BaseAddress);
        await log.WaitForAsync(HubMethods.Status);

        var promptId = await _server.Client.QueueAsync(Workflows.SlowSteps(steps: 5, delayMs: 30));
        await log.WaitForAsync(HubMethods.ExecutionSucceeded, promptId);

        var methods = log.Messages.Where(m => m.Method != HubMethods.Status).Select(m => m.Method).ToList();
        Assert.True(methods.IndexOf(HubMethods.ExecutionStarted) < methods.IndexOf(HubMethods.NodeStarted));
        Assert.True(methods.IndexOf(HubMethods.NodeStarted) < methods.IndexOf(HubMethods.Progress));
        Assert.True(methods.LastIndexOf(HubMethods.Progress) < methods.IndexOf(HubMethods.NodeCompleted));
        Assert.True(methods.IndexOf(HubMethods.NodeCompleted) < methods.IndexOf(HubMethods.ExecutionSucceeded));

        var progress = log.Of(HubMethods.Progress, promptId).ToList();
        Assert.Equal([1, 2, 3, 4, 5], progress.Select(p => p.GetProperty("value").GetInt32()));
        Assert.All(progress, p => Assert.Equal(5, p.GetProperty("max").GetInt32()));
        Assert.All(progress, p => Assert.Equal("1", p.GetProperty("nodeId").GetString()));

        var preview = log.Of(HubMethods.Preview, promptId).Last();
        Assert.Equal("image/jpeg", preview.GetProperty("mimeType").GetString());
        var jpeg = preview.GetProperty("image").GetBytesFromBase64();
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        using var decoded = SixLabors.ImageSharp.Image.Load(jpeg);
        Assert.Equal(8, decoded.Width);

        var completed = log.Of(HubMethods.NodeCompleted, promptId).Single();
        Assert.Equal("TestSlowSteps", completed.GetProperty("nodeType").GetString());
        Assert.Equal("5 steps", completed.GetProperty("output").GetProperty("text")[0].GetString());

        using var http = await _server.Client.GetAsync($"/api/preview/{promptId}", TestContext.Current.CancellationToken);
        Assert.Equal("image/jpeg", http.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_failing_node_is_reported_with_its_id_and_message()
    {
        await using var log = await HubEventLog.ConnectAsync(_server.BaseAddress);
        var workflow = Workflows.Native(("7", new JsonObject { ["type"] = "TestFail", ["inputs"] = new JsonObject { ["message"] = "the disk is on fire" } }));
        var promptId = await _server.Client.QueueAsync(workflow);
        var failed = await log.WaitForAsync(HubMethods.ExecutionFailed, promptId);
        Assert.Equal("7", failed.GetProperty("nodeId").GetString());
        Assert.Equal("TestFail", failed.GetProperty("nodeType").GetString());
        Assert.Contains("the disk is on fire", failed.GetProperty("message").GetString());
        var entry = await _server.Client.WaitForHistoryAsync(promptId);
        Assert.Equal("error", entry["status"]!["status_str"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_client_can_interrupt_the_running_prompt_through_the_hub()
    {
        await using var log = await HubEventLog.ConnectAsync(_server.BaseAddress);
        var promptId = await _server.Client.QueueAsync(Workflows.SlowSteps(steps: 500, delayMs: 20));
        await log.WaitForAsync(HubMethods.Progress, promptId);
        var status = await log.Connection.InvokeAsync<StatusMessage>("GetStatus", TestContext.Current.CancellationToken);
        Assert.Equal(promptId, status.RunningPromptId);
        Assert.True(await log.Connection.InvokeAsync<bool>("Interrupt", promptId, TestContext.Current.CancellationToken));
        var interrupted = await log.WaitForAsync(HubMethods.ExecutionInterrupted, promptId);
        Assert.Equal(promptId, interrupted.GetProperty("promptId").GetString());
        Assert.True(log.Of(HubMethods.Progress, promptId).Count() < 500);
    }

    [Fact]
    public async Task Every_connected_client_receives_the_events()
    {
        await using var first = await HubEventLog.ConnectAsync(_server.BaseAddress);
        await using var second = await HubEventLog.ConnectAsync(_server.BaseAddress);
        var promptId = await _server.Client.QueueAsync(Workflows.SlowSteps(steps: 2, delayMs: 0));
        await first.WaitForAsync(HubMethods.ExecutionSucceeded, promptId);
        await second.WaitForAsync(HubMethods.ExecutionSucceeded, promptId);
        Assert.Equal(2, second.Of(HubMethods.Progress, promptId).Count());
    }
}
