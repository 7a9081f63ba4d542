using Blazor.Diagrams.Core.Models;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Server.Editor;

namespace NodeDiffusion.Server.Components.Pages;

/// <summary>Edits on selected nodes: mute, bypass, collapse, colour, remove. Each is one undo step.</summary>
public sealed partial class EditorPage
{
    private List<GraphNodeModel> Selection() => _diagram.GetSelectedModels().OfType<GraphNodeModel>().ToList();

    /// <summary>
    /// Ctrl+M / Ctrl+B: every target goes to <paramref name="mode"/>, or back to normal when all of them are in it already.
    /// The engine resolves the modes when the workflow is queued.
    /// </summary>
    private void ToggleMode(IReadOnlyList<GraphNodeModel> nodes, NodeMode mode)
    {
        if (nodes.Count == 0)
        {
            return;
        }
        var target = nodes.All(n => n.Mode == mode) ? NodeMode.Normal : mode;
        foreach (var node in nodes)
        {
            node.Mode = target;
            node.Refresh();
        }
        Commit();
    }

    private void ToggleCollapse(IReadOnlyList<GraphNodeModel> nodes)
    {
        if (nodes.Count == 0)
        {
            return;
        }
        var collapse = !nodes.All(n => n.Collapsed);
        foreach (var node in nodes)
        {
            node.Collapsed = collapse;
            node.Refresh();
            // The sockets move with the card's layout: measure them again.
            node.ReinitializePorts();
        }
        Commit();
    }

    private void SetColour(IReadOnlyList<NodeModel> models, PaletteColor? colour)
    {
        foreach (var model in models)
        {
            switch (model)
            {
                case GraphNodeModel node:
                    node.Color = colour?.Color;
                    node.BackgroundColor = colour?.Background;
                    break;
                case GroupBoxModel group:
                    group.Color = colour?.Group;
                    break;
            }
            model.Refresh();
        }
        Commit();
    }

    private void Remove(IReadOnlyList<NodeModel> models)
    {
        if (models.Count > 0)
        {
            _diagram.Nodes.Remove(models);
        }
    }
}
