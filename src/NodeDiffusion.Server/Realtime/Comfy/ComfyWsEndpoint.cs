using System.Net.WebSockets;
using System.Text.Json;
using NodeDiffusion.Engine.Queue;
using NodeDiffusion.Server.Api;
using NodeDiffusion.Server.Hosting;

namespace NodeDiffusion.Server.Realtime.Comfy;

/// <summary>
/// <c>GET /ws?clientId=</c>: ComfyUI's WebSocket. The server sends JSON events and binary previews (see
/// <see cref="ComfyEventBridge"/>, <see cref="ComfyPreview"/>); the client may send <c>feature_flags</c>, and nothing
/// else it sends matters. Incoming messages are bounded in size, so a client cannot make the server buffer much.
/// </summary>
public static class ComfyWsEndpoint
{
    public const int MaxIncomingMessageBytes = 64 * 1024;
    public const int MaxClientIdLength = 128;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.Map("/ws", HandleAsync);
        routes.MapGet("/features", (ServerOptions options) => Results.Json(ComfyMessages.Features(options.MaxUploadBytes)));
    }

    private static async Task HandleAsync(HttpContext context, ComfySockets sockets, ComfyEventBridge bridge, PromptQueue queue, ServerOptions options, IHostApplicationLifetime lifetime)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await ApiErrors.BadRequest("invalid_request", "/ws is ComfyUI's WebSocket: connect with a WebSocket client (ws://host/ws?clientId=ID).").ExecuteAsync(context);
            return;
        }
        var sid = context.Request.Query["clientId"].ToString();
        if (sid.Length > MaxClientIdLength || sid.Any(char.IsControl))
        {
            await ApiErrors.BadRequest("invalid_request", $"clientId must be at most {MaxClientIdLength} printable characters.").ExecuteAsync(context);
            return;
        }
        if (sid.Length == 0)
        {
            sid = Guid.NewGuid().ToString("N");
        }
        if (sockets.Count >= ComfySockets.MaxConnections)
        {
            await ApiErrors.Error(StatusCodes.Status503ServiceUnavailable, "too_many_connections",
                $"At most {ComfySockets.MaxConnections} WebSocket clients may be connected at once.").ExecuteAsync(context);
            return;
        }
        using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
        var socket = new ComfySocket(sid, webSocket);
        if (!sockets.TryAdd(socket))
        {
            await webSocket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "too many connections", context.RequestAborted);
            return;
        }
        // Sockets stay open until the client leaves; a stopping server must not wait for that.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var pump = Task.Run(() => socket.PumpAsync(stop.Token), CancellationToken.None);
        try
        {
            socket.Outbox.Post(ComfyMessages.Status(queue.Remaining, sid));
            bridge.Greet(socket);
            var closeStatus = await ReceiveAsync(webSocket, socket, options, stop.Token);
            sockets.Remove(socket);
            // Let what is queued go out, but never wait long on a client that does not read.
            await pump.WaitAsync(TimeSpan.FromSeconds(5), context.RequestAborted);
            if (webSocket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await webSocket.CloseOutputAsync(closeStatus.Status, closeStatus.Description, context.RequestAborted);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or TimeoutException)
        {
            // The client went away, or was dropped for falling behind.
        }
        finally
        {
            sockets.Remove(socket);
            await stop.CancelAsync();
            await pump.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    /// <summary>Reads client messages until the client closes; returns how to close our side.</summary>
    private static async Task<(WebSocketCloseStatus Status, string Description)> ReceiveAsync(WebSocket webSocket, ComfySocket socket, ServerOptions options, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxIncomingMessageBytes];
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    return (WebSocketCloseStatus.MessageTooBig, $"messages are limited to {MaxIncomingMessageBytes} bytes");
                }
                result = await webSocket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return (WebSocketCloseStatus.NormalClosure, "");
                }
                length += result.Count;
            }
            while (!result.EndOfMessage);
            if (result.MessageType == WebSocketMessageType.Text)
            {
                Handle(buffer.AsSpan(0, length), socket, options);
            }
        }
    }

    /// <summary>ComfyUI clients send <c>{"type": "feature_flags", "data": {"supports_preview_metadata": true}}</c>; we answer with ours.</summary>
    private static void Handle(ReadOnlySpan<byte> message, ComfySocket socket, ServerOptions options)
    {
        try
        {
            var reader = new Utf8JsonReader(message, new JsonReaderOptions { MaxDepth = 16 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && RequestJson.GetString(root, "type") == "feature_flags"
                && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
            {
                socket.PreviewMetadata = RequestJson.IsTrue(data, "supports_preview_metadata");
                socket.Outbox.Post(ComfyMessages.FeatureFlags(options.MaxUploadBytes));
            }
        }
        catch (JsonException)
        {
            // Anything else a client sends is ignored, as ComfyUI does.
        }
    }
}
