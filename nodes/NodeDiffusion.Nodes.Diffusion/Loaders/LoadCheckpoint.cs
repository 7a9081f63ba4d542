using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Loaders;

[NodeType("LoadCheckpoint", Category = "loaders", DisplayName = "Load Checkpoint", Aliases = ["CheckpointLoaderSimple"],
    Description = "Loads a Stable Diffusion 1.x checkpoint: the denoising model, the text encoder and the VAE.")]
public sealed class LoadCheckpoint : Node<LoadCheckpoint.In, LoadCheckpoint.Out>
{
    public sealed record In([Combo(Source = "models/checkpoints", Tooltip = "A checkpoint in models/checkpoints.")] string CkptName);

    public sealed record Out(
        [Output(Tooltip = "The denoising model.")] ModelHandle Model,
        [Output(Tooltip = "The text encoder and tokenizer.")] ClipHandle Clip,
        [Output(Tooltip = "The autoencoder between images and latents.")] VaeHandle Vae);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var checkpoint = context.Models().Resolve(inputs.CkptName);
        if (CheckpointMetadata.Describe(checkpoint.Folder) is { } metadata)
        {
            context.AddUiOutput("text", new UiItem(Text: metadata));
        }
        return ValueTask.FromResult(new Out(new ModelHandle(checkpoint), new ClipHandle(checkpoint), new VaeHandle(checkpoint)));
    }

    /// <summary>Replacing the checkpoint files under the same name must not serve results of the old ones.</summary>
    public override string? Fingerprint(IReadOnlyDictionary<string, object?> widgetValues, IServiceProvider services) =>
        (services.GetService(typeof(DiffusionModels)) as DiffusionModels)?.Resolve((string)widgetValues["ckpt_name"]!).Fingerprint;
}
