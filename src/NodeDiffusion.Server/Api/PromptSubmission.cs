using System.Text.Json;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Engine.Queue;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Validation;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Interop.Export;
using NodeDiffusion.Interop.Import;

namespace NodeDiffusion.Server.Api;

/// <summary>The outcome of submitting a workflow: queued with its number, or every validation error.</summary>
public sealed record SubmissionResult(QueuedPrompt? Prompt, IReadOnlyList<ValidationError> Errors)
{
    public bool Accepted => Prompt is not null;
}

/// <summary>Validates a workflow completely, then queues it. Shared by the HTTP API and the editor.</summary>
public sealed class PromptSubmission(EngineHost host, PromptQueue queue)
{
    public SubmissionResult Submit(JsonElement workflowJson, string? clientId = null, bool front = false, IReadOnlyList<string>? targets = null, Guid? promptId = null, PromptOptions? options = null)
    {
        var parsed = WorkflowJson.Read(workflowJson);
        return parsed.Workflow is { } workflow && parsed.Errors.Count == 0
            ? Submit(workflow, clientId, front, targets, promptId, options)
            : new SubmissionResult(null, parsed.Errors);
    }

    /// <summary>Imports a ComfyUI API-format prompt (POST /prompt {"prompt": ...}) and submits it like a native workflow.</summary>
    public SubmissionResult SubmitComfyPrompt(JsonElement prompt, string? clientId = null, bool front = false, IReadOnlyList<string>? targets = null, Guid? promptId = null, PromptOptions? options = null)
    {
        var imported = new ComfyImporter(new ComfyImportOptions(host.Registry)).ImportApi(prompt);
        return Submit(imported.Workflow, clientId, front, targets, promptId, options);
    }

    /// <param name="promptId">Chosen by the caller when it must be listening for the prompt's events before it can start.</param>
    /// <param name="options">The client's per-prompt choices (ComfyUI's extra_data), e.g. the preview method.</param>
    public SubmissionResult Submit(Workflow workflow, string? clientId = null, bool front = false, IReadOnlyList<string>? targets = null, Guid? promptId = null, PromptOptions? options = null)
    {
        var validation = host.Validator.Validate(workflow, targets);
        if (!validation.IsValid)
        {
            return new SubmissionResult(null, validation.Errors);
        }
        // Saved images carry the workflow in ComfyUI's forms too, so ComfyUI can open them.
        var snapshot = EmbeddedChunks.Snapshot(workflow, new ComfyExporter(new ComfyExportOptions(host.Registry)));
        var prompt = new QueuedPrompt((promptId ?? Guid.NewGuid()).ToString(), 0, snapshot.NativeJson!, clientId,
            targets is { Count: > 0 } ? targets : null, snapshot.ComfyPromptJson, snapshot.ComfyWorkflowJson, Options: options);
        return new SubmissionResult(queue.Enqueue(prompt, front), []);
    }

    public ValidationResult Validate(Workflow workflow) => host.Validator.Validate(workflow);
}
