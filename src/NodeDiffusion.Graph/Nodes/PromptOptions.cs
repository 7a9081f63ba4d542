namespace NodeDiffusion.Graph.Nodes;

/// <summary>
/// Choices a client sent with one prompt (ComfyUI's <c>extra_data</c>) that change how it runs but never what it computes,
/// so they are not part of any cache signature. Nodes read them through <see cref="INodeContext.Services"/>.
/// </summary>
/// <param name="PreviewMethod">ComfyUI's <c>extra_data.preview_method</c>: auto, latent2rgb, taesd or none for this prompt;
/// null (or "default") keeps the host's default.</param>
public sealed record PromptOptions(string? PreviewMethod = null)
{
    public static PromptOptions None { get; } = new();
}
