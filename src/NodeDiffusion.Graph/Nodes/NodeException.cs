namespace NodeDiffusion.Graph.Nodes;

/// <summary>
/// An expected failure of a node (a bad file, a wrong size) whose message is written for the user.
/// The engine shows it as is, with the node, and never with a stack trace.
/// </summary>
public class NodeException : Exception
{
    public NodeException(string message, string? inputName = null)
        : base(message) => InputName = inputName;

    public NodeException(string message, Exception inner, string? inputName = null)
        : base(message, inner) => InputName = inputName;

    /// <summary>The input the problem is about, when there is one.</summary>
    public string? InputName { get; }
}
