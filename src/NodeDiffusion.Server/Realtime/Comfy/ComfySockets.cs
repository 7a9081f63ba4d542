using System.Collections.Concurrent;

namespace NodeDiffusion.Server.Realtime.Comfy;

/// <summary>
/// The connected ComfyUI WebSocket clients. A prompt's messages go to the sockets whose session id is the prompt's
/// <c>client_id</c> (several tabs may share one); a prompt queued without a client id is reported to every socket.
/// </summary>
public sealed class ComfySockets
{
    /// <summary>More simultaneous sockets than any real use needs; beyond it connections are refused.</summary>
    public const int MaxConnections = 256;

    private readonly ConcurrentDictionary<ComfySocket, byte> _sockets = new();

    public int Count => _sockets.Count;

    public bool TryAdd(ComfySocket socket) => _sockets.Count < MaxConnections && _sockets.TryAdd(socket, 0);

    public void Remove(ComfySocket socket)
    {
        if (_sockets.TryRemove(socket, out _))
        {
            socket.Outbox.Complete();
        }
    }

    /// <summary>Sends to the client's sockets, or to all when <paramref name="clientId"/> is null.</summary>
    public void Send(string? clientId, byte[] json)
    {
        foreach (var socket in Targets(clientId))
        {
            socket.Outbox.Post(json);
        }
    }

    public void Broadcast(byte[] json) => Send(null, json);

    public void SendPreview(string? clientId, ComfyPreview preview)
    {
        foreach (var socket in Targets(clientId))
        {
            socket.Outbox.PostPreview(preview);
        }
    }

    private IEnumerable<ComfySocket> Targets(string? clientId) =>
        clientId is null ? _sockets.Keys : _sockets.Keys.Where(s => string.Equals(s.Sid, clientId, StringComparison.Ordinal));
}
