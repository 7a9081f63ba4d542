using System.Collections.Concurrent;
using System.Threading.Channels;

namespace NodeDiffusion.Server.Realtime.Comfy;

/// <summary>
/// What waits to go to one ComfyUI WebSocket client. JSON messages keep their order; previews are latest-wins (one slot),
/// so a client that reads slowly gets fewer previews and the sampler never waits. A client that falls hopelessly
/// behind on messages is dropped rather than buffered without bound.
/// </summary>
public sealed class ComfyOutbox(Action abort)
{
    public const int MaxPendingMessages = 10_000;

    private readonly ConcurrentQueue<byte[]?> _messages = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private ComfyPreview? _preview;
    private int _previewQueued;

    /// <summary>Queues one UTF-8 JSON text message.</summary>
    public void Post(byte[] json)
    {
        if (_messages.Count >= MaxPendingMessages)
        {
            abort();
            return;
        }
        _messages.Enqueue(json);
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Replaces any preview not yet sent; it goes out where the first unsent one was queued.</summary>
    public void PostPreview(ComfyPreview preview)
    {
        Interlocked.Exchange(ref _preview, preview);
        if (Interlocked.CompareExchange(ref _previewQueued, 1, 0) == 0)
        {
            _messages.Enqueue(null);
            _wake.Writer.TryWrite(true);
        }
    }

    /// <summary>Sends until <see cref="Complete"/> or cancellation: <paramref name="sendText"/> for JSON, <paramref name="sendPreview"/> for previews.</summary>
    public async Task PumpAsync(Func<byte[], CancellationToken, Task> sendText, Func<ComfyPreview, CancellationToken, Task> sendPreview, CancellationToken cancellationToken)
    {
        while (await _wake.Reader.WaitToReadAsync(cancellationToken))
        {
            _wake.Reader.TryRead(out _);
            while (_messages.TryDequeue(out var message))
            {
                if (message is not null)
                {
                    await sendText(message, cancellationToken);
                    continue;
                }
                Volatile.Write(ref _previewQueued, 0);
                if (Interlocked.Exchange(ref _preview, null) is { } preview)
                {
                    await sendPreview(preview, cancellationToken);
                }
            }
        }
    }

    public void Complete() => _wake.Writer.TryComplete();
}
