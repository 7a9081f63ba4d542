using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using NodeDiffusion.Graph.Workflows;

namespace NodeDiffusion.Server.Editor;

/// <summary>
/// A titled box drawn behind nodes (ComfyUI's group). It is a diagram node without sockets so that it pans, zooms,
/// selects and drags like one; dragging it carries the nodes that lie inside it, and its corner resizes it.
/// </summary>
public sealed class GroupBoxModel : NodeModel
{
    public const string DefaultColor = "#3f789e";

    public GroupBoxModel(string id, string title, Rectangle bounds, string? color = null, double? fontSize = null)
        : base(id, new Point(bounds.Left, bounds.Top))
    {
        ControlledSize = true;
        Title = title;
        Size = new Size(bounds.Width, bounds.Height);
        Color = color;
        FontSize = fontSize;
    }

    public string? Color { get; set; }

    public double? FontSize { get; set; }

    /// <summary>The smallest box: room for the title and the resize corner.</summary>
    public static readonly Size MinimumSize = new(140, 80);

    /// <summary>A resize has finished (pointer up); the argument is the size it started from.</summary>
    public event Action<GroupBoxModel, Size>? Resized;

    /// <summary>Sets the size (whole units, at least <see cref="MinimumSize"/>); false when it did not change. Nodes do not move.</summary>
    public bool ResizeTo(Size size)
    {
        var width = Math.Round(Math.Max(MinimumSize.Width, size.Width));
        var height = Math.Round(Math.Max(MinimumSize.Height, size.Height));
        if (Size is { } current && current.Width == width && current.Height == height)
        {
            return false;
        }
        Size = new Size(width, height);
        return true;
    }

    public void FinishResize(Size start) => Resized?.Invoke(this, start);

    public Rectangle Bounds => new(Position.X, Position.Y, Position.X + Size!.Width, Position.Y + Size.Height);

    public static GroupBoxModel From(string id, WorkflowGroup group) =>
        new(id, group.Title, new Rectangle(group.Bounding[0], group.Bounding[1], group.Bounding[0] + Math.Max(group.Bounding[2], 40), group.Bounding[1] + Math.Max(group.Bounding[3], 40)),
            group.Color, group.FontSize);

    public WorkflowGroup ToWorkflowGroup() =>
        new(Title ?? "", [Math.Round(Position.X), Math.Round(Position.Y), Math.Round(Size!.Width), Math.Round(Size.Height)], Color, FontSize);

    /// <summary>The nodes that lie inside the box: those whose top-left corner and centre are both in it (ComfyUI: overlap).</summary>
    public IEnumerable<NodeModel> Members(IEnumerable<NodeModel> nodes)
    {
        var box = Bounds;
        foreach (var node in nodes)
        {
            if (node == this || node is GroupBoxModel)
            {
                continue;
            }
            var width = node.Size?.Width ?? 0;
            var height = node.Size?.Height ?? 0;
            var centre = new Point(node.Position.X + (width / 2), node.Position.Y + (height / 2));
            if (Contains(box, node.Position) && Contains(box, centre))
            {
                yield return node;
            }
        }
    }

    private static bool Contains(Rectangle box, Point point) =>
        point.X >= box.Left && point.X <= box.Right && point.Y >= box.Top && point.Y <= box.Bottom;
}
