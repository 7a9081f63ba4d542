using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Nodes.Diffusion.Services;

internal static class ServiceAccess
{
    public static DiffusionModels Models(this INodeContext context) =>
        context.Services.GetService(typeof(DiffusionModels)) as DiffusionModels
        ?? throw new InvalidOperationException("The diffusion node pack was not initialised.");
}
