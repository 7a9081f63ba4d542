using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Loaders;

[NodeType("LoadControlNet", Category = "loaders", DisplayName = "Load ControlNet Model", Aliases = ["ControlNetLoader"],
    Description = "Loads a ControlNet (diffusers or original layout, single .safetensors) from models/controlnet.")]
public sealed class LoadControlNet : Node<LoadControlNet.In, LoadControlNet.Out>
{
    public sealed record In([Combo(Source = "models/controlnet", Tooltip = "A ControlNet in models/controlnet.")] string ControlNetName);

    public sealed record Out([Output(Tooltip = "The ControlNet, compiled for the sampler's model when it is first used.")] ControlNetHandle ControlNet);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) =>
        ValueTask.FromResult(new Out(ControlNetFolder.Resolve(context.Models(), inputs.ControlNetName)));

    /// <summary>Replacing the file under the same name must not serve results of the old one.</summary>
    public override string? Fingerprint(IReadOnlyDictionary<string, object?> widgetValues, IServiceProvider services) =>
        services.GetService(typeof(DiffusionModels)) is DiffusionModels models
            ? ControlNetFolder.Resolve(models, (string)widgetValues["control_net_name"]!, identify: false).Fingerprint
            : null;
}
