using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Engine.Execution;

/// <summary>The host's services as one prompt's nodes see them: the prompt's own options first.</summary>
internal sealed class PromptServices(PromptOptions options, IServiceProvider services) : IServiceProvider
{
    public object? GetService(Type serviceType) => serviceType == typeof(PromptOptions) ? options : services.GetService(serviceType);
}
