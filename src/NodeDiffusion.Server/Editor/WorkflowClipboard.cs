using System.Globalization;
using Blazor.Diagrams.Core.Geometry;
using NodeDiffusion.Graph.Workflows;

namespace NodeDiffusion.Server.Editor;

/// <summary>
/// Copy and paste as workflow JSON. A copy keeps every input link of the copied nodes, also those from nodes outside the
/// selection; a paste gives the nodes fresh ids, moves them and drops the outside links unless asked to keep them
/// (ComfyUI's Ctrl+Shift+V).
/// </summary>
public static class WorkflowClipboard
{
    /// <summary>How far a paste lands from the original when the pointer position is unknown.</summary>
    public const double Offset = 40;

    public static string Copy(IReadOnlyCollection<GraphNodeModel> nodes, IReadOnlyCollection<GroupBoxModel> groups) =>
        WorkflowJson.Serialize(WorkflowMapper.ToWorkflow(nodes, groups, "clipboard"), indented: false);

    /// <summary>
    /// The clipboard workflow re-identified for pasting: node ids continue after <paramref name="existingIds"/>, the
    /// top-left of the pasted nodes goes to <paramref name="at"/> (or moves by <see cref="Offset"/>), and links from
    /// nodes outside the clipboard stay only when <paramref name="keepOutsideLinks"/> and that node still exists.
    /// </summary>
    public static Workflow Prepare(Workflow clip, IReadOnlyCollection<string> existingIds, Point? at, bool keepOutsideLinks)
    {
        var next = existingIds.Select(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(0).Max() + 1;
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in clip.Nodes.Keys)
        {
            ids[id] = (next++).ToString(CultureInfo.InvariantCulture);
        }
        var positions = clip.Nodes.Values.Select(n => n.Layout?.Position).OfType<double[]>().Where(p => p.Length >= 2)
            .Concat(clip.Groups.Select(g => g.Bounding)).ToList();
        var (dx, dy) = at is { } target && positions.Count > 0
            ? (target.X - positions.Min(p => p[0]), target.Y - positions.Min(p => p[1]))
            : (Offset, Offset);
        var existing = existingIds.ToHashSet(StringComparer.Ordinal);
        var pasted = new Workflow { Name = clip.Name };
        foreach (var (id, node) in clip.Nodes)
        {
            var copy = new WorkflowNode { Type = node.Type, Mode = node.Mode };
            foreach (var (name, value) in node.Inputs)
            {
                copy.Inputs[name] = value;
            }
            foreach (var (name, value) in node.Extra)
            {
                copy.Extra[name] = value;
            }
            foreach (var (input, link) in node.Links)
            {
                if (ids.TryGetValue(link.Node, out var source))
                {
                    copy.Links[input] = link with { Node = source };
                }
                else if (keepOutsideLinks && existing.Contains(link.Node))
                {
                    copy.Links[input] = link;
                }
            }
            var layout = node.Layout ?? new NodeLayout();
            copy.Layout = layout with { Position = layout.Position is [var x, var y, ..] ? [x + dx, y + dy] : null };
            pasted.Nodes[ids[id]] = copy;
        }
        foreach (var group in clip.Groups)
        {
            var b = group.Bounding;
            pasted.Groups.Add(group with { Bounding = [b[0] + dx, b[1] + dy, b[2], b[3]] });
        }
        return pasted;
    }
}
