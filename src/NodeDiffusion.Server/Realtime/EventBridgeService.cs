using NodeDiffusion.Engine.Events;
using NodeDiffusion.Engine.Queue;

namespace NodeDiffusion.Server.Realtime;

/// <summary>Connects the engine's events and queue changes to the hub clients and the preview store.</summary>
public sealed class EventBridgeService(EventFanOut events, PromptQueue queue, HubClients clients, PreviewStore previews) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = events.Subscribe(Publish);
        queue.Changed += OnQueueChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Changed -= OnQueueChanged;
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    private void OnQueueChanged() => clients.Post(HubMethods.Status, new StatusMessage(queue.Remaining, queue.Running?.PromptId));

    private void Publish(ExecutionEvent e)
    {
        if (e is NodePreview preview)
        {
            var encoded = new EncodedPreview(preview.PromptId, preview.NodeId, preview.Frame);
            previews.Put(encoded);
            clients.PostPreview(encoded);
            return;
        }
        if (EventMessages.From(e) is { } message)
        {
            clients.Post(message.Method, message.Payload);
        }
    }
}
