using System.Net;
using System.Text.Json.Nodes;
using NodeDiffusion.Server.Tests.Infrastructure;

namespace NodeDiffusion.Server.Tests.Api;

public sealed class QueueApiTests : IAsyncLifetime
{
    private readonly ServerHost _server = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task The_queue_shows_running_and_pending_and_can_delete_interrupt_and_clear()
    {
        var running = await _server.Client.QueueAsync(Workflows.SlowSteps(steps: 200, delayMs: 50));
        var pending1 = await _server.Client.QueueAsync(Workflows.SlowSteps(steps: 2));
        var pending2 = await _server.Client.QueueAsync(Workflows.SlowSteps(steps: 3));
        await WaitUntilRunningAsync(running);

        var (status, queue) = await _server.Client.GetJsonAsync("/queue");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(running, queue!["queue_running"]![0]![1]!.GetValue<string>());
        Assert.Equal([pending1, pending2], queue["queue_pending"]!.AsArray().Select(i => i![1]!.GetValue<string>()));
        Assert.Equal("nodediffusion.workflow", queue["queue_pending"]![0]![2]!["format"]!.GetValue<string>());

        var (deleteStatus, deleted) = await _server.Client.PostJsonAsync("/queue", new JsonObject { ["delete"] = new JsonArray(pending1) });
        Assert.Equal(HttpStatusCode.OK, deleteStatus);
        Assert.Equal(1, deleted!["removed"]!.GetValue<int>());
        var (clearStatus, cleared) = await _server.Client.PostJsonAsync("/api/queue", new JsonObject { ["clear"] = true });
        Assert.Equal(HttpStatusCode.OK, clearStatus);
        Assert.Equal(1, cleared!["removed"]!.GetValue<int>());

        var (interruptStatus, interrupted) = await _server.Client.PostRawAsync("/interrupt", "");
        Assert.Equal(HttpStatusCode.OK, interruptStatus);
        Assert.True(interrupted!["interrupted"]!.GetValue<bool>());
        var entry = await _server.Client.WaitForHistoryAsync(running);
        Assert.Equal("cancelled", entry["status"]!["status_str"]!.GetValue<string>());

        var (_, after) = await _server.Client.GetJsonAsync("/queue");
        Assert.Empty(after!["queue_pending"]!.AsArray());
        var (_, missing) = await _server.Client.GetJsonAsync($"/history/{pending1}");
        Assert.Empty(missing!.AsObject());
    }

    [Fact]
    public async Task Interrupting_another_prompt_id_leaves_the_running_one_alone()
    {
        var running = await _server.Client.QueueAsync(Workflows.SlowSteps(steps: 10, delayMs: 50));
        await WaitUntilRunningAsync(running);
        var (_, body) = await _server.Client.PostJsonAsync("/interrupt", new JsonObject { ["prompt_id"] = "someone-else" });
        Assert.False(body!["interrupted"]!.GetValue<bool>());
        var entry = await _server.Client.WaitForHistoryAsync(running);
        Assert.Equal("success", entry["status"]!["status_str"]!.GetValue<string>());
        Assert.Equal("10 steps", entry["outputs"]!["1"]!["text"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task History_lists_pages_deletes_and_clears()
    {
        var first = await _server.Client.QueueAsync(Workflows.SlowSteps(steps: 1, delayMs: 0));
        var second = await _server.Client.QueueAsync(Workflows.SlowSteps(steps: 2, delayMs: 0));
        await _server.Client.WaitForHistoryAsync(first);
        await _server.Client.WaitForHistoryAsync(second);

        var (_, all) = await _server.Client.GetJsonAsync("/history");
        Assert.Equal(2, all!.AsObject().Count);
        var (_, newest) = await _server.Client.GetJsonAsync("/history?max_items=1");
        Assert.Equal(second, Assert.Single(newest!.AsObject()).Key);
        var (badStatus, bad) = await _server.Client.GetJsonAsync("/history?max_items=lots");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Contains("max_items", bad!["error"]!["message"]!.GetValue<string>());

        await _server.Client.PostJsonAsync("/history", new JsonObject { ["delete"] = new JsonArray(first) });
        var (_, remaining) = await _server.Client.GetJsonAsync("/api/history");
        Assert.Equal(second, Assert.Single(remaining!.AsObject()).Key);
        await _server.Client.PostJsonAsync("/history", new JsonObject { ["clear"] = true });
        var (_, none) = await _server.Client.GetJsonAsync("/history");
        Assert.Empty(none!.AsObject());
    }

    [Theory]
    [InlineData("/queue")]
    [InlineData("/history")]
    public async Task Queue_and_history_posts_without_an_action_are_refused(string path)
    {
        var (status, body) = await _server.Client.PostJsonAsync(path, new JsonObject { ["delete"] = "not-a-list" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("clear", body!["error"]!["message"]!.GetValue<string>());
    }

    private async Task WaitUntilRunningAsync(string promptId)
    {
        for (var i = 0; i < 400; i++)
        {
            var (_, queue) = await _server.Client.GetJsonAsync("/queue");
            if (queue!["queue_running"]!.AsArray().Any(item => item![1]!.GetValue<string>() == promptId))
            {
                return;
            }
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException($"Prompt {promptId} never started.");
    }
}
