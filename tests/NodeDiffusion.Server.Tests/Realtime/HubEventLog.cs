using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using NodeDiffusion.Server.Realtime;

namespace NodeDiffusion.Server.Tests.Realtime;

/// <summary>A real SignalR client on the execution hub that records every message it receives, in order.</summary>
public sealed class HubEventLog : IAsyncDisposable
{
    private static readonly string[] Methods =
    [
        HubMethods.Status, HubMethods.ExecutionStarted, HubMethods.NodeStarted, HubMethods.NodeCached, HubMethods.Progress,
        HubMethods.NodeCompleted, HubMethods.NodeWarning, HubMethods.ExecutionSucceeded, HubMethods.ExecutionFailed,
        HubMethods.ExecutionInterrupted, HubMethods.Preview,
    ];

    private readonly ConcurrentQueue<(string Method, JsonElement Payload)> _messages = new();

    private HubEventLog(HubConnection connection)
    {
        Connection = connection;
        foreach (var method in Methods)
        {
            connection.On<JsonElement>(method, payload => _messages.Enqueue((method, payload)));
        }
    }

    public HubConnection Connection { get; }

    public IReadOnlyList<(string Method, JsonElement Payload)> Messages => [.. _messages];

    public static async Task<HubEventLog> ConnectAsync(Uri baseAddress)
    {
        var connection = new HubConnectionBuilder().WithUrl(new Uri(baseAddress, "/hubs/execution")).Build();
        var log = new HubEventLog(connection);
        await connection.StartAsync(TestContext.Current.CancellationToken);
        return log;
    }

    public IEnumerable<JsonElement> Of(string method, string? promptId = null) =>
        Messages.Where(m => m.Method == method && (promptId is null || m.Payload.GetProperty("promptId").GetString() == promptId)).Select(m => m.Payload);

    public async Task<JsonElement> WaitForAsync(string method, string? promptId = null, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            if (Of(method, promptId).Any())
            {
                return Of(method, promptId).First();
            }
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException($"No \"{method}\" message within {timeoutSeconds} s; got: {string.Join(", ", Messages.Select(m => m.Method))}");
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
