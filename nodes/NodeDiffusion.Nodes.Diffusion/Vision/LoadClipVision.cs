using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Vision;

[NodeType("LoadClipVision", Category = "loaders", DisplayName = "Load CLIP Vision", Aliases = ["CLIPVisionLoader"],
    Description = "Loads a CLIP vision model (transformers CLIPVisionModelWithProjection safetensors) from models/clip_vision.")]
public sealed class LoadClipVision : Node<LoadClipVision.In, LoadClipVision.Out>
{
    public sealed record In([Combo(Source = "models/clip_vision", Tooltip = "A CLIP vision model in models/clip_vision.")] string ClipName);

    public sealed record Out(ClipVisionHandle ClipVision);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) =>
        ValueTask.FromResult(new Out(ClipVisionFiles.Resolve(context.Models(), inputs.ClipName)));

    /// <summary>Replacing the file under the same name must not serve results of the old one.</summary>
    public override string? Fingerprint(IReadOnlyDictionary<string, object?> widgetValues, IServiceProvider services) =>
        services.GetService(typeof(DiffusionModels)) is DiffusionModels models ? ClipVisionFiles.Resolve(models, (string)widgetValues["clip_name"]!).Fingerprint : null;
}
