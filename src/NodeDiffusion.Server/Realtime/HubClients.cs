using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace NodeDiffusion.Server.Realtime;

/// <summary>The connected hub clients, each with its own outbox and sending loop.</summary>
public sealed class HubClients(IHubContext<ExecutionHub> hub, ILogger<HubClients> logger)
{
    private readonly ConcurrentDictionary<string, (ClientOutbox Outbox, CancellationTokenSource Stop)> _clients = new(StringComparer.Ordinal);

    public int Count => _clients.Count;

    public void Connect(HubCallerContext context)
    {
        var id = context.ConnectionId;
        var stop = new CancellationTokenSource();
        var outbox = new ClientOutbox((method, payload, ct) => hub.Clients.Client(id).SendAsync(method, payload, ct), context.Abort);
        _clients[id] = (outbox, stop);
        _ = Task.Run(async () =>
        {
            try
            {
                await outbox.PumpAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Sending to hub client {ConnectionId} failed; dropping it", id);
                context.Abort();
            }
        });
    }

    public void Disconnect(string connectionId)
    {
        if (_clients.TryRemove(connectionId, out var client))
        {
            client.Outbox.Complete();
            client.Stop.Cancel();
            client.Stop.Dispose();
        }
    }

    public void Post(string method, object payload)
    {
        foreach (var client in _clients.Values)
        {
            client.Outbox.Post(method, payload);
        }
    }

    public void PostTo(string connectionId, string method, object payload)
    {
        if (_clients.TryGetValue(connectionId, out var client))
        {
            client.Outbox.Post(method, payload);
        }
    }

    public void PostPreview(EncodedPreview preview)
    {
        foreach (var client in _clients.Values)
        {
            client.Outbox.PostPreview(preview);
        }
    }
}
