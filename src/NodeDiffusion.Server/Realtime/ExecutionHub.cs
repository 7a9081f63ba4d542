using Microsoft.AspNetCore.SignalR;
using NodeDiffusion.Engine.Queue;

namespace NodeDiffusion.Server.Realtime;

/// <summary>
/// /hubs/execution: streams every engine event (see <see cref="HubMethods"/>) to every connected client, and lets a
/// client ask for the queue status or interrupt the running prompt. Work is queued over HTTP (POST /prompt).
/// </summary>
public sealed class ExecutionHub(HubClients clients, PromptQueue queue) : Hub
{
    public override Task OnConnectedAsync()
    {
        clients.Connect(Context);
        clients.PostTo(Context.ConnectionId, HubMethods.Status, GetStatus());
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        clients.Disconnect(Context.ConnectionId);
        return Task.CompletedTask;
    }

    public StatusMessage GetStatus() => new(queue.Remaining, queue.Running?.PromptId);

    /// <summary>Interrupts the running prompt (only if it is <paramref name="promptId"/>, when given).</summary>
    public bool Interrupt(string? promptId) => queue.Interrupt(promptId);
}
