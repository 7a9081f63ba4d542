using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace NodeDiffusion.Server.Tests.Realtime;

/// <summary>A real ClientWebSocket on ComfyUI's /ws that records every text and binary message it receives, in order.</summary>
public sealed class ComfyWsLog : IAsyncDisposable
{
    private readonly ConcurrentQueue<JsonObject> _messages = new();
    private readonly ConcurrentQueue<byte[]> _frames = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;

    private ComfyWsLog(ClientWebSocket socket)
    {
        Socket = socket;
        _receiving = Task.Run(ReceiveAsync);
    }

    public ClientWebSocket Socket { get; }

    /// <summary>How the server closed the socket, once it has.</summary>
    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public IReadOnlyList<JsonObject> Messages => _messages.ToList();

    public IReadOnlyList<byte[]> Frames => _frames.ToList();

    public static async Task<ComfyWsLog> ConnectAsync(Uri baseAddress, string? clientId, string path = "/ws")
    {
        var socket = new ClientWebSocket();
        var uri = new UriBuilder(baseAddress) { Scheme = "ws", Path = path, Query = clientId is null ? "" : "clientId=" + Uri.EscapeDataString(clientId) }.Uri;
        await socket.ConnectAsync(uri, TestContext.Current.CancellationToken);
        return new ComfyWsLog(socket);
    }

    public Task SendAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);

    /// <summary>Messages about one prompt, in order (status and feature_flags carry none).</summary>
    public IReadOnlyList<JsonObject> Of(string promptId) =>
        Messages.Where(m => m["data"]?["prompt_id"]?.GetValue<string>() == promptId).ToList();

    public static string TypeOf(JsonObject message) => message["type"]!.GetValue<string>();

    /// <summary>Waits for the first message that satisfies <paramref name="match"/>.</summary>
    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, int timeoutSeconds = 120)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
        while (true)
        {
            if (Messages.FirstOrDefault(match) is { } found)
            {
                return found;
            }
            if (_receiving.IsCompleted)
            {
                throw new InvalidOperationException($"The socket closed ({CloseStatus}) before the expected message; got: {string.Join(", ", Messages.Select(TypeOf))}");
            }
            try
            {
                await _arrived.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No matching message within {timeoutSeconds} s; got: {string.Join(", ", Messages.Select(m => m.ToJsonString()))}");
            }
        }
    }

    public Task<JsonObject> WaitForAsync(string type, string? promptId = null) =>
        WaitForAsync(m => TypeOf(m) == type && (promptId is null || m["data"]?["prompt_id"]?.GetValue<string>() == promptId));

    /// <summary>The closing <c>executing</c> message of a prompt: node null.</summary>
    public Task<JsonObject> WaitForFinishAsync(string promptId) =>
        WaitForAsync(m => TypeOf(m) == "executing" && m["data"]!["node"] is null && m["data"]!["prompt_id"]?.GetValue<string>() == promptId);

    /// <summary>Waits for the server to close the socket.</summary>
    public async Task WaitClosedAsync()
    {
        await _receiving.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
    }

    public static (uint Type, uint Second) Header(byte[] frame) =>
        (BinaryPrimitives.ReadUInt32BigEndian(frame), BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(4)));

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await Socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatus = result.CloseStatus;
                    return;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }
                if (result.MessageType == WebSocketMessageType.Text)
                {
                    _messages.Enqueue(JsonNode.Parse(message.ToArray())!.AsObject());
                }
                else
                {
                    _frames.Enqueue(message.ToArray());
                }
                message.SetLength(0);
                _arrived.Release();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            _arrived.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _receiving.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        Socket.Abort();
        Socket.Dispose();
        _stop.Dispose();
        _arrived.Dispose();
    }
}
