using Blazor.Diagrams.Core.Events;
using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using Blazor.Diagrams.Core.Models.Base;
using MudBlazor;
using NodeDiffusion.Server.Editor;

namespace NodeDiffusion.Server.Components.Pages;

/// <summary>Groups: Ctrl+G frames the selection; dragging a group's title carries the nodes inside it; its corner resizes it.</summary>
public sealed partial class EditorPage
{
    private const double GroupPadding = 12;
    private const double GroupTitleHeight = 34;

    private GroupDrag? _groupDrag;

    private sealed class GroupDrag(GroupBoxModel group, List<NodeModel> members)
    {
        public GroupBoxModel Group { get; } = group;

        public List<NodeModel> Members { get; } = members;

        public Point Last { get; set; } = group.Position;
    }

    private void OnNodeAdded(NodeModel node)
    {
        node.Moved += _ => ScheduleCommit();
        if (node is GroupBoxModel group)
        {
            group.Moving += OnGroupMoving;
            group.Resized += OnGroupResized;
        }
    }

    private void OnPointerDown(Model? model, PointerEventArgs e)
    {
        if (_menu is not null)
        {
            _menu = null;
            _ = InvokeAsync(StateHasChanged);
        }
        // Selection has already been updated for this press: the members are the unselected nodes inside the box
        // (selected ones move with the selection anyway).
        _groupDrag = model is GroupBoxModel group
            ? new GroupDrag(group, group.Members(_diagram.Nodes).Where(n => !n.Selected).ToList())
            : null;
    }

    private void OnGroupMoving(MovableModel moved)
    {
        if (_groupDrag is not { } drag || drag.Group != moved)
        {
            return;
        }
        var dx = moved.Position.X - drag.Last.X;
        var dy = moved.Position.Y - drag.Last.Y;
        drag.Last = moved.Position;
        if (dx == 0 && dy == 0)
        {
            return;
        }
        foreach (var member in drag.Members)
        {
            member.SetPosition(member.Position.X + dx, member.Position.Y + dy);
        }
    }

    // One undo step per resize; the nodes stay where they are, and the next drag carries those inside the new bounds.
    private void OnGroupResized(GroupBoxModel group, Blazor.Diagrams.Core.Geometry.Size start)
    {
        if (group.Size is { } size && (size.Width != start.Width || size.Height != start.Height))
        {
            Commit();
        }
    }

    /// <summary>Adds a group around the selected nodes, or an empty one at <paramref name="at"/> when nothing is selected.</summary>
    private void AddGroup(Point? at)
    {
        var nodes = Selection();
        Rectangle bounds;
        if (nodes.Count > 0)
        {
            var left = nodes.Min(n => n.Position.X) - GroupPadding;
            var top = nodes.Min(n => n.Position.Y) - GroupPadding - GroupTitleHeight;
            var right = nodes.Max(n => n.Position.X + (n.Size?.Width ?? 220)) + GroupPadding;
            var bottom = nodes.Max(n => n.Position.Y + (n.Size?.Height ?? 100)) + GroupPadding;
            bounds = new Rectangle(left, top, right, bottom);
        }
        else if (at is { } point)
        {
            bounds = new Rectangle(point.X, point.Y, point.X + 400, point.Y + 260);
        }
        else
        {
            Snackbar.Add("Select the nodes to group first (Ctrl+G groups the selection).", Severity.Info);
            return;
        }
        var group = new GroupBoxModel(WorkflowMapper.NewGroupId(), "Group", bounds);
        _diagram.Nodes.Add(group);
        _diagram.SendToBack(group);
        Commit();
    }
}
