namespace NodeDiffusion.Engine.Queue;

/// <summary>
/// A prompt waiting in the queue. The workflow is kept as its native JSON so the queue can be persisted and reloaded
/// exactly; a prompt that came in ComfyUI's API format keeps that too, for embedding in saved images.
/// </summary>
public sealed record QueuedPrompt(
    string PromptId,
    double Number,
    string WorkflowJson,
    string? ClientId = null,
    IReadOnlyList<string>? Targets = null,
    string? ComfyPromptJson = null,
    string? ComfyWorkflowJson = null,
    DateTimeOffset? SubmittedAt = null);
