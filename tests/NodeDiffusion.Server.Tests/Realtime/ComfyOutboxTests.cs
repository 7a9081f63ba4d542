using System.Text;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Server.Realtime.Comfy;

namespace NodeDiffusion.Server.Tests.Realtime;

public sealed class ComfyOutboxTests
{
    [Fact]
    public async Task Previews_are_latest_wins_and_messages_keep_their_order()
    {
        var outbox = new ComfyOutbox(() => throw new InvalidOperationException("must not abort"));
        outbox.Post(Encoding.UTF8.GetBytes("a"));
        for (var step = 1; step <= 100; step++)
        {
            outbox.PostPreview(new ComfyPreview("p", "3", new PreviewFrame([(byte)step], "image/jpeg", 1, 1, step)));
        }
        outbox.Post(Encoding.UTF8.GetBytes("b"));
        outbox.Complete();
        var sent = new List<string>();
        await outbox.PumpAsync(
            (json, _) => { sent.Add(Encoding.UTF8.GetString(json)); return Task.CompletedTask; },
            (preview, _) => { sent.Add("preview " + preview.Frame.Step); return Task.CompletedTask; },
            TestContext.Current.CancellationToken);
        Assert.Equal(["a", "preview 100", "b"], sent);
    }

    [Fact]
    public void A_client_that_never_reads_is_dropped_instead_of_buffered_without_bound()
    {
        var aborted = 0;
        var outbox = new ComfyOutbox(() => aborted++);
        for (var i = 0; i < ComfyOutbox.MaxPendingMessages + 5; i++)
        {
            outbox.Post([1]);
        }
        Assert.Equal(5, aborted);
    }

    [Fact]
    public void A_type_1_frame_is_the_big_endian_header_then_the_image()
    {
        var frame = new ComfyPreview("p", "3", new PreviewFrame([0xFF, 0xD8, 0xFF], "image/jpeg", 1, 1)).Encode(withMetadata: false)!;
        Assert.Equal([0, 0, 0, 1, 0, 0, 0, 1, 0xFF, 0xD8, 0xFF], frame);
        Assert.Null(new ComfyPreview("p", "3", new PreviewFrame([1, 2, 3], "image/webp", 1, 1)).Encode(withMetadata: false));
    }
}
