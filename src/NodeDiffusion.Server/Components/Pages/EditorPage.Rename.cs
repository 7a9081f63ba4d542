using Blazor.Diagrams.Core.Models;
using Microsoft.JSInterop;
using NodeDiffusion.Server.Editor;

namespace NodeDiffusion.Server.Components.Pages;

/// <summary>Double-clicking a node's or group's title (or "Edit title" in its menu) edits the title in place.</summary>
public sealed partial class EditorPage
{
    private sealed record RenameRequest(NodeModel Model, double ClientX, double ClientY, string Title);

    private RenameRequest? _rename;

    /// <summary>
    /// A native double-click on a title (the diagram's own double-click is two clicks within 500 ms anywhere, so two
    /// quick clicks on different nodes would count).
    /// </summary>
    [JSInvokable]
    public void OnTitleDoubleClick(string id)
    {
        if (_diagram.Nodes.FirstOrDefault(n => n.Id == id) is GraphNodeModel or GroupBoxModel)
        {
            StartRename(_diagram.Nodes.First(n => n.Id == id));
        }
    }

    private void StartRename(NodeModel model)
    {
        if (_diagram.Container is null)
        {
            return;
        }
        var screen = _diagram.GetScreenPoint(model.Position.X, model.Position.Y);
        _rename = new RenameRequest(model, screen.X, screen.Y, model.Title ?? "");
        _ = InvokeAsync(async () =>
        {
            StateHasChanged();
            await Task.Yield();
            await JS.InvokeVoidAsync("ndEditor.focusRename");
        });
    }

    private void FinishRename(string? title)
    {
        var request = _rename;
        _rename = null;
        if (request is null || title is null)
        {
            return;
        }
        title = title.Trim();
        switch (request.Model)
        {
            case GraphNodeModel node:
                // An empty title goes back to the node type's name.
                node.CustomTitle = title.Length == 0 || title == node.Schema.DisplayName ? null : title;
                node.Title = node.CustomTitle ?? node.Schema.DisplayName;
                break;
            case GroupBoxModel group:
                group.Title = title;
                break;
        }
        request.Model.Refresh();
        Commit();
    }
}
