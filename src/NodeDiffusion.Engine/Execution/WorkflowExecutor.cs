using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodeDiffusion.Engine.Caching;
using NodeDiffusion.Engine.Events;
using NodeDiffusion.Engine.Execution;
using NodeDiffusion.Engine.Planning;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Validation;

namespace NodeDiffusion.Engine;

/// <summary>
/// Runs a validated workflow: only what the outputs need, reusing cached results by signature, publishing events.
/// A failing node stops the run but leaves every result computed so far in the cache.
/// </summary>
public sealed class WorkflowExecutor(OutputCache cache, IServiceProvider services, ILogger? logger = null, ExecutionOptions? options = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly ExecutionOptions _options = options ?? new ExecutionOptions();

    public OutputCache Cache => cache;

    public async Task<ExecutionResult> RunAsync(
        string promptId,
        ResolvedWorkflow workflow,
        IExecutionEventSink events,
        WorkflowSnapshot? snapshot = null,
        CancellationToken cancellationToken = default,
        PromptOptions? promptOptions = null)
    {
        var clock = Stopwatch.StartNew();
        var (plan, pinned) = PlanWithPinnedCache(workflow);
        events.Publish(new ExecutionStarted(promptId, plan.Nodes.Select(n => n.Node.Id).ToList()));

        var run = new Run(promptId, plan, events, snapshot ?? WorkflowSnapshot.None)
        {
            Services = new PromptServices(promptOptions ?? PromptOptions.None, services),
        };
        foreach (var node in plan.FromCache)
        {
            var cached = pinned[node.Node.Id];
            run.Results[node.Node.Id] = cached.Values;
            run.Record(new NodeRunRecord(node.Node.Id, node.Node.Definition.Schema.TypeId, NodeRunStatus.Cached, 0, cached.Ui, []));
            events.Publish(new NodeCached(promptId, node.Node.Id, node.Node.Definition.Schema.TypeId, cached.Ui));
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            if (_options.MaxParallelism <= 1)
            {
                foreach (var node in plan.ToExecute)
                {
                    linked.Token.ThrowIfCancellationRequested();
                    await ExecuteNodeAsync(run, node, linked.Token).ConfigureAwait(false);
                }
            }
            else
            {
                await ExecuteParallelAsync(run, linked).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && run.Failure is null)
        {
            var result = run.Finish(ExecutionStatus.Cancelled, null, clock.Elapsed.TotalMilliseconds);
            events.Publish(new ExecutionCancelled(promptId, run.RunningNodeId, result));
            return result;
        }
        catch (NodeFailedException)
        {
        }

        if (run.Failure is { } failure)
        {
            var result = run.Finish(ExecutionStatus.Failed, failure, clock.Elapsed.TotalMilliseconds);
            events.Publish(new ExecutionFailed(promptId, failure, result));
            return result;
        }
        var success = run.Finish(ExecutionStatus.Success, null, clock.Elapsed.TotalMilliseconds);
        events.Publish(new ExecutionCompleted(promptId, success));
        return success;
    }

    /// <summary>Plans, then takes hold of every cached result the plan relies on; replans if one was evicted meanwhile.</summary>
    private (ExecutionPlan Plan, Dictionary<string, CachedOutputs> Pinned) PlanWithPinnedCache(ResolvedWorkflow workflow)
    {
        var planner = new Planner(cache, services);
        var nonce = Guid.NewGuid().ToString("N");
        while (true)
        {
            var plan = planner.Plan(workflow, nonce);
            var pinned = new Dictionary<string, CachedOutputs>(StringComparer.Ordinal);
            var complete = true;
            foreach (var node in plan.FromCache)
            {
                if (cache.TryGet(node.Signature, out var outputs))
                {
                    pinned[node.Node.Id] = outputs;
                }
                else
                {
                    complete = false;
                }
            }
            if (complete)
            {
                return (plan, pinned);
            }
        }
    }

    private async Task ExecuteParallelAsync(Run run, CancellationTokenSource linked)
    {
        using var gate = new SemaphoreSlim(_options.MaxParallelism);
        var tasks = new Dictionary<string, Task>(StringComparer.Ordinal);
        foreach (var node in run.Plan.ToExecute)
        {
            var dependencies = node.Dependencies.Where(tasks.ContainsKey).Select(d => tasks[d]).ToArray();
            tasks[node.Node.Id] = RunWhenReadyAsync(node, dependencies);
        }
        try
        {
            await Task.WhenAll(tasks.Values).ConfigureAwait(false);
        }
        catch (Exception) when (run.Failure is not null)
        {
            throw new NodeFailedException();
        }

        async Task RunWhenReadyAsync(PlannedNode node, Task[] dependencies)
        {
            await Task.WhenAll(dependencies).ConfigureAwait(false);
            await gate.WaitAsync(linked.Token).ConfigureAwait(false);
            try
            {
                linked.Token.ThrowIfCancellationRequested();
                await ExecuteNodeAsync(run, node, linked.Token).ConfigureAwait(false);
            }
            catch (NodeFailedException)
            {
                await linked.CancelAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                gate.Release();
            }
        }
    }

    private async Task ExecuteNodeAsync(Run run, PlannedNode planned, CancellationToken cancellationToken)
    {
        var node = planned.Node;
        var schema = node.Definition.Schema;
        run.RunningNodeId = node.Id;
        run.Events.Publish(new NodeStarted(run.PromptId, node.Id, schema.TypeId));
        var context = new NodeContext(run.PromptId, node.Id, cancellationToken, _logger, run.Services, run.Snapshot, run.Events);
        var clock = Stopwatch.StartNew();
        object?[] outputs;
        try
        {
            var inputs = BindInputs(run, node);
            outputs = await node.Definition.Node.ExecuteAsync(inputs, context).ConfigureAwait(false);
            if (outputs.Length != schema.Outputs.Count)
            {
                throw new InvalidOperationException($"returned {outputs.Length} outputs but declares {schema.Outputs.Count}");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            run.Record(new NodeRunRecord(node.Id, schema.TypeId, NodeRunStatus.Cancelled, clock.Elapsed.TotalMilliseconds, UiOutput.Empty, context.Warnings));
            throw;
        }
        catch (Exception exception)
        {
            var error = Describe(node, exception);
            if (error.IsInternal)
            {
                _logger.LogError(exception, "Node {NodeId} ({NodeType}) failed unexpectedly", node.Id, schema.TypeId);
            }
            run.Fail(error);
            run.Record(new NodeRunRecord(node.Id, schema.TypeId, NodeRunStatus.Failed, clock.Elapsed.TotalMilliseconds, UiOutput.Empty, context.Warnings));
            throw new NodeFailedException();
        }
        var ui = context.Ui();
        var milliseconds = clock.Elapsed.TotalMilliseconds;
        cache.Set(planned.Signature, new CachedOutputs(outputs, ui, OutputCache.SizeOf(outputs)));
        run.Results[node.Id] = outputs;
        run.Record(new NodeRunRecord(node.Id, schema.TypeId, NodeRunStatus.Executed, milliseconds, ui, context.Warnings));
        run.Events.Publish(new NodeCompleted(run.PromptId, node.Id, schema.TypeId, ui, milliseconds));
    }

    private static Dictionary<string, object?> BindInputs(Run run, ResolvedNode node)
    {
        var inputs = new Dictionary<string, object?>(node.Values, StringComparer.Ordinal);
        foreach (var input in node.Definition.Schema.Inputs)
        {
            if (node.Links.TryGetValue(input.Name, out var link))
            {
                var value = run.Results[link.Node][link.Output];
                inputs[input.Name] = input.IsWidget ? WidgetValues.Convert(value, input.ClrType) : value;
            }
        }
        return inputs;
    }

    private static NodeError Describe(ResolvedNode node, Exception exception)
    {
        var type = node.Definition.Schema.TypeId;
        return exception switch
        {
            NodeException known => new NodeError(node.Id, type, known.Message, known.GetType().Name, known.InputName),
            IOException or UnauthorizedAccessException or InvalidDataException or FormatException or ArgumentException =>
                new NodeError(node.Id, type, exception.Message, exception.GetType().Name),
            _ => new NodeError(node.Id, type, $"Internal error in {type}: {exception.Message}", exception.GetType().Name, IsInternal: true),
        };
    }

    private sealed class NodeFailedException : Exception;

    private sealed class Run(string promptId, ExecutionPlan plan, IExecutionEventSink events, WorkflowSnapshot snapshot)
    {
        private readonly List<NodeRunRecord> _records = [];
        private NodeError? _failure;

        public string PromptId => promptId;
        public ExecutionPlan Plan => plan;
        public IExecutionEventSink Events => events;
        public WorkflowSnapshot Snapshot => snapshot;
        public required IServiceProvider Services { get; init; }
        public System.Collections.Concurrent.ConcurrentDictionary<string, object?[]> Results { get; } = new(StringComparer.Ordinal);
        public string? RunningNodeId { get; set; }
        public NodeError? Failure => Volatile.Read(ref _failure);

        public void Fail(NodeError error) => Interlocked.CompareExchange(ref _failure, error, null);

        public void Record(NodeRunRecord record)
        {
            lock (_records)
            {
                _records.Add(record);
            }
        }

        public ExecutionResult Finish(ExecutionStatus status, NodeError? error, double milliseconds)
        {
            lock (_records)
            {
                return new ExecutionResult(promptId, status, _records.ToList(), error, milliseconds);
            }
        }
    }
}
