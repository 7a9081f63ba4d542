using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Engine.Queue;

/// <summary>
/// A prompt waiting in the queue. The workflow is kept as its native JSON so the queue can be persisted and reloaded
/// exactly; a prompt that came in ComfyUI's API format keeps that too, for embedding in saved images.
/// <see cref="Options"/> are the client's per-prompt choices (ComfyUI's extra_data), e.g. the preview method.
/// </summary>
public sealed record QueuedPrompt(
    string PromptId,
    double Number,
    string WorkflowJson,
    string? ClientId = null,
    IReadOnlyList<string>? Targets = null,
    string? ComfyPromptJson = null,
    string? ComfyWorkflowJson = null,
    DateTimeOffset? SubmittedAt = null,
    PromptOptions? Options = null);
