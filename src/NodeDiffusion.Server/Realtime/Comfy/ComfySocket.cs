using System.Net.WebSockets;

namespace NodeDiffusion.Server.Realtime.Comfy;

/// <summary>One connected ComfyUI WebSocket client: its session id (the <c>clientId</c> it connected with) and its outbox.</summary>
public sealed class ComfySocket
{
    private readonly WebSocket _socket;
    private volatile bool _previewMetadata;

    public ComfySocket(string sid, WebSocket socket)
    {
        Sid = sid;
        _socket = socket;
        Outbox = new ComfyOutbox(socket.Abort);
    }

    public string Sid { get; }

    public ComfyOutbox Outbox { get; }

    /// <summary>Set when the client announced <c>supports_preview_metadata</c>: previews then go as type 4 frames.</summary>
    public bool PreviewMetadata
    {
        get => _previewMetadata;
        set => _previewMetadata = value;
    }

    /// <summary>Sends queued messages until the outbox completes; the only writer to the socket while it runs.</summary>
    public Task PumpAsync(CancellationToken cancellationToken) => Outbox.PumpAsync(
        (json, ct) => _socket.SendAsync(json, WebSocketMessageType.Text, true, ct),
        async (preview, ct) =>
        {
            if (preview.Encode(PreviewMetadata) is { } frame)
            {
                await _socket.SendAsync(frame, WebSocketMessageType.Binary, true, ct);
            }
        },
        cancellationToken);
}
