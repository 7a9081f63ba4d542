using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Schema;

namespace NodeDiffusion.Graph.Registry;

/// <summary>Resolves the options of a COMBO input: its fixed list, or its dynamic source.</summary>
public static class ComboOptions
{
    public static IReadOnlyList<string> Resolve(InputSpec input, IComboOptionsProvider? provider)
    {
        if (input.OptionsSource is { } source && provider?.GetOptions(source) is { } dynamic)
        {
            return dynamic;
        }
        return input.Options ?? [];
    }
}
