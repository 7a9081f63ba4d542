using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Server.Realtime;

namespace NodeDiffusion.Server.Tests.Realtime;

public sealed class ClientOutboxTests
{
    [Fact]
    public async Task A_slow_client_gets_only_the_latest_preview_and_every_event_in_order()
    {
        var gate = new TaskCompletionSource();
        var sent = new List<(string Method, object Payload)>();
        var outbox = new ClientOutbox(async (method, payload, _) =>
        {
            await gate.Task;
            lock (sent)
            {
                sent.Add((method, payload));
            }
        }, () => { });
        using var stop = new CancellationTokenSource();
        var pump = outbox.PumpAsync(stop.Token);

        outbox.Post("first", 1);
        var posting = Task.Run(() =>
        {
            for (var step = 1; step <= 200; step++)
            {
                outbox.PostPreview(Preview(step));
            }
            outbox.Post("last", 2);
        }, TestContext.Current.CancellationToken);
        var finished = await Task.WhenAny(posting, Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
        Assert.True(finished == posting, "Posting must never wait for the client.");

        gate.SetResult();
        await WaitAsync(() => sent.Any(s => s.Method == "last"));
        outbox.Complete();
        await pump;

        Assert.Equal("first", sent[0].Method);
        Assert.Equal("last", sent[^1].Method);
        var previews = sent.Where(s => s.Method == HubMethods.Preview).Select(s => ((PreviewMessage)s.Payload).Step).ToList();
        Assert.Single(previews);
        Assert.Equal(200, previews[0]);
    }

    [Fact]
    public void A_client_that_never_reads_is_dropped_instead_of_growing_without_bound()
    {
        var aborted = false;
        var outbox = new ClientOutbox((_, _, _) => Task.CompletedTask, () => aborted = true);
        for (var i = 0; i < ClientOutbox.MaxPendingEvents + 1; i++)
        {
            outbox.Post("event", i);
        }
        Assert.True(aborted);
    }

    [Fact]
    public async Task A_preview_that_does_not_decode_is_skipped_and_the_client_keeps_its_events()
    {
        var sent = new List<string>();
        var outbox = new ClientOutbox((method, _, _) =>
        {
            lock (sent)
            {
                sent.Add(method);
            }
            return Task.CompletedTask;
        }, () => throw new InvalidOperationException("must not abort"));
        using var stop = new CancellationTokenSource();
        var pump = outbox.PumpAsync(stop.Token);
        outbox.PostPreview(new EncodedPreview("p", "n", new PreviewFrame([1, 2, 3], "image/png", 1, 1, 1)));
        outbox.Post("after", 1);
        await WaitAsync(() => sent.Contains("after"));
        outbox.Complete();
        await pump;
        Assert.Equal(["after"], sent);
    }

    private static EncodedPreview Preview(int step) =>
        new("p", "n", new PreviewFrame([0xFF, 0xD8, 0xFF, 0xD9], "image/jpeg", 1, 1, step));

    private static async Task WaitAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        Assert.True(condition());
    }
}
