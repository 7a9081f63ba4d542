using NodeDiffusion.Engine;
using NodeDiffusion.Engine.Events;
using NodeDiffusion.Engine.Queue;

namespace NodeDiffusion.Server.Realtime.Comfy;

/// <summary>
/// Turns the engine's events into ComfyUI's WebSocket messages, in ComfyUI's order: <c>execution_start</c>,
/// <c>execution_cached</c> (every reused node, at once), then per node <c>executing</c>, <c>progress</c>, previews and
/// <c>executed</c> (each with <c>progress_state</c>), then <c>execution_success</c> / <c>execution_error</c> / <c>execution_interrupted</c>, and finally
/// <c>executing</c> with a null node once the prompt's history is written. Queue changes go to every client as
/// <c>status</c>. Handlers only build small messages and post them: sending happens on each socket's own loop.
/// </summary>
public sealed class ComfyEventBridge(EventFanOut events, PromptQueue queue, ComfySockets sockets) : IHostedService
{
    private readonly Lock _lock = new();
    private readonly List<PromptRun> _finishing = [];
    private IDisposable? _subscription;
    private PromptRun? _run;

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

    /// <summary>A client that (re)connects while its prompt runs hears which node is executing, as in ComfyUI.</summary>
    public void Greet(ComfySocket socket)
    {
        lock (_lock)
        {
            if (_run is { CurrentNode: { } node } run && run.ClientId == socket.Sid)
            {
                socket.Outbox.Post(ComfyMessages.Executing(run.PromptId, node));
            }
        }
    }

    private void OnQueueChanged()
    {
        // Read the queue before taking our lock: the queue raises this event while holding its own.
        var running = queue.Running?.PromptId;
        sockets.Broadcast(ComfyMessages.Status(queue.Remaining));
        lock (_lock)
        {
            SendFinished(running);
        }
    }

    private void Publish(ExecutionEvent e)
    {
        var running = queue.Running;
        var clientId = running?.PromptId == e.PromptId ? running.ClientId : null;
        lock (_lock)
        {
            if (_run?.PromptId != e.PromptId)
            {
                _run = new PromptRun(e.PromptId, clientId);
            }
            var run = _run;
            var time = e.Timestamp.ToUnixTimeMilliseconds();
            if (e is NodeCached cached)
            {
                run.Cached.Add(cached);
                return;
            }
            if (e is ExecutionStarted)
            {
                run.Started = true;
            }
            else
            {
                FlushCached(run, time);
            }
            switch (e)
            {
                case ExecutionStarted:
                    Send(run, ComfyMessages.ExecutionStart(run.PromptId, time));
                    break;
                case NodeStarted started:
                    run.CurrentNode = started.NodeId;
                    run.NodeTypes[started.NodeId] = started.NodeType;
                    Send(run, ComfyMessages.Executing(run.PromptId, started.NodeId));
                    SetState(run, started.NodeId, 0, 1, ComfyNodeState.Running);
                    break;
                case NodeProgress progress:
                    Send(run, ComfyMessages.Progress(run.PromptId, progress.NodeId, progress.Value, progress.Max));
                    SetState(run, progress.NodeId, progress.Value, progress.Max, ComfyNodeState.Running);
                    break;
                case NodePreview preview:
                    sockets.SendPreview(run.ClientId, new ComfyPreview(run.PromptId, preview.NodeId, preview.Frame));
                    break;
                case NodeCompleted completed:
                    var done = run.States.GetValueOrDefault(completed.NodeId);
                    SetState(run, completed.NodeId, done?.Max ?? 1, done?.Max ?? 1, ComfyNodeState.Finished);
                    if (!completed.Ui.IsEmpty)
                    {
                        Send(run, ComfyMessages.Executed(run.PromptId, completed.NodeId, completed.Ui));
                    }
                    break;
                case ExecutionCompleted:
                    Send(run, ComfyMessages.ExecutionSuccess(run.PromptId, time));
                    Finish(run, running?.PromptId);
                    break;
                case ExecutionFailed failed:
                    if (run.States.TryGetValue(failed.Error.NodeId, out var broken))
                    {
                        SetState(run, broken.NodeId, broken.Value, broken.Max, ComfyNodeState.Error);
                    }
                    Send(run, ComfyMessages.ExecutionError(run.PromptId, failed.Error, Executed(failed.Result), time));
                    Finish(run, running?.PromptId);
                    break;
                case ExecutionCancelled cancelled:
                    var nodeType = cancelled.NodeId is { } id ? run.NodeTypes.GetValueOrDefault(id) : null;
                    Send(run, ComfyMessages.ExecutionInterrupted(run.PromptId, cancelled.NodeId, nodeType, Executed(cancelled.Result), time));
                    Finish(run, running?.PromptId);
                    break;
            }
        }
    }

    /// <summary>ComfyUI reports all reused nodes in one message before the first node runs, then their saved UI outputs.</summary>
    private void FlushCached(PromptRun run, long time)
    {
        if (run.CachedSent || !run.Started)
        {
            return;
        }
        run.CachedSent = true;
        Send(run, ComfyMessages.ExecutionCached(run.PromptId, run.Cached.Select(c => c.NodeId), time));
        foreach (var cached in run.Cached.Where(c => !c.Ui.IsEmpty))
        {
            Send(run, ComfyMessages.Executed(run.PromptId, cached.NodeId, cached.Ui));
        }
    }

    private static IEnumerable<string> Executed(ExecutionResult result) =>
        result.Nodes.Where(n => n.Status is NodeRunStatus.Executed or NodeRunStatus.Cached).Select(n => n.NodeId);

    /// <summary>The closing <c>executing: null</c> waits until the worker has written history and released the prompt.</summary>
    private void Finish(PromptRun run, string? running)
    {
        run.CurrentNode = null;
        _run = null;
        _finishing.Add(run);
        SendFinished(running);
    }

    private void SendFinished(string? running)
    {
        for (var i = _finishing.Count - 1; i >= 0; i--)
        {
            if (_finishing[i].PromptId != running)
            {
                Send(_finishing[i], ComfyMessages.Executing(_finishing[i].PromptId, null));
                _finishing.RemoveAt(i);
            }
        }
    }

    private void Send(PromptRun run, byte[] message) => sockets.Send(run.ClientId, message);

    private void SetState(PromptRun run, string nodeId, int value, int max, string state)
    {
        run.States[nodeId] = new ComfyNodeState(nodeId, value, max, state);
        Send(run, ComfyMessages.ProgressState(run.PromptId, run.States.Values));
    }

    private sealed class PromptRun(string promptId, string? clientId)
    {
        public string PromptId { get; } = promptId;

        public string? ClientId { get; } = clientId;

        public List<NodeCached> Cached { get; } = [];

        public bool Started { get; set; }

        public bool CachedSent { get; set; }

        public string? CurrentNode { get; set; }

        public Dictionary<string, string> NodeTypes { get; } = new(StringComparer.Ordinal);

        public OrderedDictionary<string, ComfyNodeState> States { get; } = new(StringComparer.Ordinal);
    }
}
