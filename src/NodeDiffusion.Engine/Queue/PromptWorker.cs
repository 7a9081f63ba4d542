using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodeDiffusion.Engine.Events;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Validation;
using NodeDiffusion.Graph.Workflows;

namespace NodeDiffusion.Engine.Queue;

/// <summary>
/// Takes prompts from the queue one at a time, validates and runs them, and records the outcome in history.
/// Its surface is narrow (take, run, record) so that it can later become a worker on another machine.
/// </summary>
public sealed class PromptWorker(
    PromptQueue queue,
    PromptHistory history,
    WorkflowValidator validator,
    WorkflowExecutor executor,
    IExecutionEventSink events,
    ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>Records a prompt that was cut off by a restart, then serves the queue until cancelled.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        if (queue.InterruptedByRestart is { } interrupted && history.Find(interrupted.PromptId) is null)
        {
            var now = DateTimeOffset.UtcNow;
            history.Add(new HistoryEntry(interrupted, HistoryStatus.Interrupted, [],
                new NodeError("", "", "The server stopped while this prompt was running.", "Interrupted"), [], now, now));
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            QueuedPrompt prompt;
            CancellationToken interrupt;
            try
            {
                (prompt, interrupt) = await queue.TakeAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(interrupt, stoppingToken);
            try
            {
                await RunOneAsync(prompt, linked.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _logger.LogError(e, "Prompt {PromptId} failed unexpectedly", prompt.PromptId);
            }
            finally
            {
                queue.Complete(prompt);
            }
        }
    }

    public async Task<HistoryEntry> RunOneAsync(QueuedPrompt prompt, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var parsed = WorkflowJson.Parse(prompt.WorkflowJson);
        var validation = parsed.Workflow is { } workflow
            ? validator.Validate(workflow, prompt.Targets?.ToList())
            : new ValidationResult(null, parsed.Errors);
        if (!validation.IsValid)
        {
            var error = new NodeError(validation.Errors[0].NodeId ?? "", validation.Errors[0].NodeType ?? "",
                $"The workflow is invalid: {string.Join("; ", validation.Errors.Select(e => e.ToString()))}", "ValidationError");
            var failed = new ExecutionResult(prompt.PromptId, ExecutionStatus.Failed, [], error, 0);
            events.Publish(new ExecutionFailed(prompt.PromptId, error, failed));
            var invalid = new HistoryEntry(prompt, HistoryStatus.Error, [], error, validation.Errors, started, DateTimeOffset.UtcNow);
            history.Add(invalid);
            return invalid;
        }
        var snapshot = new WorkflowSnapshot(prompt.WorkflowJson, prompt.ComfyPromptJson, prompt.ComfyWorkflowJson);
        var result = await executor.RunAsync(prompt.PromptId, validation.Workflow!, events, snapshot, cancellationToken, prompt.Options).ConfigureAwait(false);
        var status = result.Status switch
        {
            ExecutionStatus.Success => HistoryStatus.Success,
            ExecutionStatus.Cancelled => HistoryStatus.Cancelled,
            _ => HistoryStatus.Error,
        };
        var entry = new HistoryEntry(prompt, status, result.Nodes, result.Error, [], started, DateTimeOffset.UtcNow);
        history.Add(entry);
        return entry;
    }
}
