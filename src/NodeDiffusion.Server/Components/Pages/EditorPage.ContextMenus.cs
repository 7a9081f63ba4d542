using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using Microsoft.JSInterop;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Server.Editor;

namespace NodeDiffusion.Server.Components.Pages;

/// <summary>Right-click menus on a node, a group, a link and the canvas.</summary>
public sealed partial class EditorPage
{
    /// <summary>An open menu: where, on what (kind "node", "group", "link" or "canvas" and the model id) and its items.</summary>
    private sealed record MenuRequest(double ClientX, double ClientY, string Kind, string? Id, Point Position, IReadOnlyList<EditorMenuItem> Items);

    [JSInvokable]
    public void OnContextMenu(string kind, string? id, double clientX, double clientY)
    {
        _search = null;
        var position = _diagram.GetRelativeMousePoint(clientX, clientY);
        (string Kind, IReadOnlyList<EditorMenuItem> Items) menu = kind switch
        {
            "node" when FindNode(id) is GraphNodeModel node => ("node", NodeMenu(node)),
            "group" when FindNode(id) is GroupBoxModel => ("group", GroupMenu()),
            "link" when _diagram.Links.Any(l => l.Id == id) => ("link", [new EditorMenuItem("remove-link", "Remove link", "Delete"), new EditorMenuItem("add-reroute", "Add reroute")]),
            _ => ("canvas", CanvasMenuItems),
        };
        _menu = new MenuRequest(clientX, clientY, menu.Kind, menu.Kind == "canvas" ? null : id, position, menu.Items);
        StateHasChanged();
        _ = JS.InvokeVoidAsync("ndEditor.focusMenu").AsTask();
    }

    private static readonly IReadOnlyList<EditorMenuItem> CanvasMenuItems =
    [
        new("add-node", "Add node…", "double-click"),
        new("add-group", "Add group", "Ctrl+G"),
        new("paste", "Paste", "Ctrl+V"),
        new("paste-links", "Paste with input links", "Ctrl+Shift+V"),
    ];

    private static IReadOnlyList<EditorMenuItem> NodeMenu(GraphNodeModel node) =>
    [
        new("bypass", "Bypass", "Ctrl+B", Checked: node.Mode == NodeMode.Bypassed),
        new("mute", "Mute", "Ctrl+M", Checked: node.Mode == NodeMode.Muted),
        new("collapse", node.Collapsed ? "Expand" : "Collapse", "Alt+C"),
        new("rename", "Edit title", "double-click"),
        // Every widget has a socket, so linking one turns it into an input; "to input" shows the socket alone without a
        // link (ComfyUI's classic "Convert X to input") and "to widget" undoes either.
        .. WidgetConversionItems(node),
        new("clone", "Clone"),
        new("remove", "Remove", "Delete"),
        new("colour:", "No colour", Swatch: "#353535"),
        .. CssColor.Palette.Select(c => new EditorMenuItem("colour:" + c.Name, c.Name.Replace('_', ' '), Swatch: c.Background)),
    ];

    private static IReadOnlyList<EditorMenuItem> GroupMenu() =>
    [
        new("rename", "Edit title", "double-click"),
        new("remove", "Remove group", "Delete"),
        new("colour:", "Default colour", Swatch: GroupBoxModel.DefaultColor),
        .. CssColor.Palette.Select(c => new EditorMenuItem("colour:" + c.Name, c.Name.Replace('_', ' '), Swatch: c.Group)),
    ];

    private NodeModel? FindNode(string? id) => id is null ? null : _diagram.Nodes.FirstOrDefault(n => n.Id == id);

    private void CloseMenu() => _menu = null;

    private async Task OnMenuPick(EditorMenuItem item)
    {
        if (_menu is not { } menu)
        {
            return;
        }
        _menu = null;
        var clicked = FindNode(menu.Id);
        // A menu on a selected node acts on the whole selection, as in ComfyUI.
        IReadOnlyList<NodeModel> targets = clicked is null ? []
            : clicked.Selected ? _diagram.GetSelectedModels().OfType<NodeModel>().ToList()
            : [clicked];
        var nodes = targets.OfType<GraphNodeModel>().ToList();
        switch (item.Action)
        {
            case "bypass":
                ToggleMode(nodes, NodeMode.Bypassed);
                break;
            case "mute":
                ToggleMode(nodes, NodeMode.Muted);
                break;
            case "collapse":
                ToggleCollapse(nodes);
                break;
            case "rename" when clicked is not null:
                StartRename(clicked);
                break;
            case "clone":
                Clone(nodes);
                break;
            case "remove":
                Remove(targets);
                break;
            case "remove-link":
                _diagram.Links.Remove(_diagram.Links.Where(l => l.Id == menu.Id).ToList());
                break;
            case "add-reroute":
                AddReroute(menu.Id, menu.Position);
                break;
            case "add-node":
                _search = new SearchRequest(menu.ClientX, menu.ClientY, menu.Position);
                StateHasChanged();
                await Task.Yield();
                await JS.InvokeVoidAsync("ndEditor.focusSearch");
                break;
            case "add-group":
                AddGroup(menu.Position);
                break;
            case "paste":
            case "paste-links":
                await JS.InvokeVoidAsync("ndEditor.paste", item.Action == "paste-links", menu.ClientX, menu.ClientY);
                break;
            default:
                if (item.Action.StartsWith("unlink:", StringComparison.Ordinal) && clicked is GraphNodeModel owner
                    && owner.Input(item.Action["unlink:".Length..]) is { } port)
                {
                    ConvertToWidget(owner, port);
                }
                else if (item.Action.StartsWith("to-input:", StringComparison.Ordinal) && clicked is GraphNodeModel target)
                {
                    ConvertToInput(target, item.Action["to-input:".Length..]);
                }
                else if (item.Action.StartsWith("colour:", StringComparison.Ordinal))
                {
                    var name = item.Action["colour:".Length..];
                    SetColour(targets, CssColor.Palette.FirstOrDefault(c => c.Name == name));
                }
                break;
        }
    }
}
