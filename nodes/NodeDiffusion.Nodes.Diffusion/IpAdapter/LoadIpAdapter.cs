using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Diffusion.Services;
using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.IpAdapter;

[NodeType("LoadIpAdapter", Category = "ipadapter", DisplayName = "Load IP-Adapter", Aliases = ["IPAdapterModelLoader"],
    Description = "Loads an IP-Adapter (base or Plus) from models/ipadapter.")]
public sealed class LoadIpAdapter : Node<LoadIpAdapter.In, LoadIpAdapter.Out>
{
    public sealed record In([Combo(Source = "models/ipadapter", Tooltip = "An IP-Adapter .safetensors in models/ipadapter.")] string IpadapterFile);

    public sealed record Out(IpAdapterHandle Ipadapter);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context) =>
        ValueTask.FromResult(new Out(IpAdapterFiles.Resolve(context.Models(), inputs.IpadapterFile)));

    /// <summary>Replacing the file under the same name must not serve results of the old one.</summary>
    public override string? Fingerprint(IReadOnlyDictionary<string, object?> widgetValues, IServiceProvider services) =>
        services.GetService(typeof(DiffusionModels)) is DiffusionModels models
            ? ModelFile.Resolve(models.Roots, IpAdapterFiles.Folder, (string)widgetValues["ipadapter_file"]!, "ipadapter_file", "IP-Adapter").Fingerprint
            : null;
}
