using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using Microsoft.JSInterop;
using MudBlazor;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Server.Editor;

namespace NodeDiffusion.Server.Components.Pages;

/// <summary>
/// Copy and paste. The browser side (editor.js) puts the copied workflow JSON on the system clipboard, so a paste
/// works in another tab, and keeps an in-page copy for when clipboard access is refused.
/// </summary>
public sealed partial class EditorPage
{
    /// <summary>Ctrl+C: the selected nodes and groups as workflow JSON, or null when nothing is selected.</summary>
    [JSInvokable]
    public string? CopySelection()
    {
        var nodes = Selection();
        var groups = _diagram.GetSelectedModels().OfType<GroupBoxModel>().ToList();
        return nodes.Count == 0 && groups.Count == 0 ? null : WorkflowClipboard.Copy(nodes, groups);
    }

    /// <summary>Ctrl+V (keepLinks false) and Ctrl+Shift+V (keepLinks true); x/y is the pointer, when it is over the canvas.</summary>
    [JSInvokable]
    public async Task PasteAsync(IJSStreamReference text, bool keepLinks, double? x, double? y)
    {
        Point? at = x is { } cx && y is { } cy && _diagram.Container is not null ? _diagram.GetRelativeMousePoint(cx, cy) : null;
        Paste(await ReadAsync(text), keepLinks, at);
        StateHasChanged();
    }

    private void Paste(string text, bool keepLinks, Point? at)
    {
        var parsed = WorkflowJson.Parse(text);
        if (parsed.Workflow is not { } clip || parsed.Errors.Count > 0 || clip.Nodes.Count + clip.Groups.Count == 0)
        {
            Snackbar.Add("The clipboard holds no NodeDiffusion nodes.", Severity.Info);
            return;
        }
        var existing = _diagram.Nodes.OfType<GraphNodeModel>().Select(n => n.Id).ToList();
        var pasted = WorkflowClipboard.Prepare(clip, existing, at, keepLinks);
        _applying = true;
        IReadOnlyList<NodeModel> added;
        try
        {
            var groups = WorkflowMapper.AddGroups(_diagram, pasted.Groups);
            var nodes = WorkflowMapper.AddNodes(_diagram, pasted, Host.Registry, this, keepLinks);
            added = [.. groups, .. nodes];
        }
        finally
        {
            _applying = false;
        }
        _diagram.UnselectAll();
        foreach (var model in added)
        {
            _diagram.SelectModel(model, unselectOthers: false);
        }
        Commit();
    }

    /// <summary>Clone (node menu): a copy of the targets beside them, without outside links.</summary>
    private void Clone(IReadOnlyList<GraphNodeModel> nodes)
    {
        if (nodes.Count > 0)
        {
            Paste(WorkflowClipboard.Copy(nodes, []), keepLinks: false, at: null);
        }
    }
}
