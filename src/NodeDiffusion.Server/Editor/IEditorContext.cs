using NodeDiffusion.Graph.Nodes;

namespace NodeDiffusion.Server.Editor;

/// <summary>What node cards and ports need from the editor they live in.</summary>
public interface IEditorContext
{
    IComboOptionsProvider ComboOptions { get; }

    /// <summary>A widget value changed: record it for undo and autosave.</summary>
    void ValueChanged(GraphNodeModel node, string inputName);

    /// <summary>A link drag was refused; tell the user why.</summary>
    void LinkRefused(string reason);
}
