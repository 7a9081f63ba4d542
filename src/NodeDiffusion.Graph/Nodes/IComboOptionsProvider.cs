namespace NodeDiffusion.Graph.Nodes;

/// <summary>Answers the options of a dynamic COMBO source, such as the files in a model folder.</summary>
public interface IComboOptionsProvider
{
    /// <summary>The current options, or null when this provider does not know the source.</summary>
    IReadOnlyList<string>? GetOptions(string source);
}
