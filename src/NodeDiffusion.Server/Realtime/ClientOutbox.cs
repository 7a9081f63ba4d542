using System.Collections.Concurrent;
using System.Threading.Channels;

namespace NodeDiffusion.Server.Realtime;

/// <summary>
/// What is waiting to go to one hub client. Events keep their order; previews are latest-wins: a client that reads
/// slowly gets fewer previews, and the engine never waits for it. A client that falls hopelessly behind is dropped.
/// </summary>
public sealed class ClientOutbox
{
    public const int MaxPendingEvents = 10_000;

    private readonly ConcurrentQueue<(string Method, object? Payload)> _events = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Func<string, object, CancellationToken, Task> _send;
    private readonly Action _abort;
    private EncodedPreview? _preview;
    private int _previewQueued;

    public ClientOutbox(Func<string, object, CancellationToken, Task> send, Action abort)
    {
        _send = send;
        _abort = abort;
    }

    public void Post(string method, object payload)
    {
        if (_events.Count >= MaxPendingEvents)
        {
            _abort();
            return;
        }
        _events.Enqueue((method, payload));
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Replaces any preview not yet sent; its place in the event order is where the first unsent one was.</summary>
    public void PostPreview(EncodedPreview preview)
    {
        Interlocked.Exchange(ref _preview, preview);
        if (Interlocked.CompareExchange(ref _previewQueued, 1, 0) == 0)
        {
            _events.Enqueue((HubMethods.Preview, null));
            _wake.Writer.TryWrite(true);
        }
    }

    public async Task PumpAsync(CancellationToken cancellationToken)
    {
        while (await _wake.Reader.WaitToReadAsync(cancellationToken))
        {
            _wake.Reader.TryRead(out _);
            while (_events.TryDequeue(out var item))
            {
                if (item.Payload is { } payload)
                {
                    await _send(item.Method, payload, cancellationToken);
                    continue;
                }
                Volatile.Write(ref _previewQueued, 0);
                if (Interlocked.Exchange(ref _preview, null)?.Message is { } preview)
                {
                    await _send(HubMethods.Preview, preview, cancellationToken);
                }
            }
        }
    }

    public void Complete() => _wake.Writer.TryComplete();
}
