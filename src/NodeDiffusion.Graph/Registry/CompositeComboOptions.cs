using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Graph.Registry;

/// <summary>Asks several option providers in turn; the first that knows a source answers.</summary>
public sealed class CompositeComboOptions(IReadOnlyList<IComboOptionsProvider> providers) : IComboOptionsProvider
{
    public IReadOnlyList<string>? GetOptions(string source)
    {
        foreach (var provider in providers)
        {
            if (provider.GetOptions(source) is { } options)
            {
                return options;
            }
        }
        return null;
    }
}
