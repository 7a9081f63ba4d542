using Blazor.Diagrams.Core.Anchors;
using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models.Base;
using Microsoft.JSInterop;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Schema;
using NodeDiffusion.Server.Editor;

namespace NodeDiffusion.Server.Components.Pages;

/// <summary>
/// A link dragged from a socket and let go: on a node it connects to that node's first compatible free socket; on
/// empty canvas it opens the node search, filtered to node types that can take the other end, and connects the pick.
/// </summary>
public sealed partial class EditorPage
{
    /// <summary>A release closer than this to the socket it started from is a click, not a drag.</summary>
    private const double MinimumDragDistance = 24;

    private void OnLinkRemoved(BaseLinkModel link)
    {
        ScheduleCommit();
        if (_applying || link.Target is not PositionAnchor anchor || link.Source.Model is not TypedPortModel from
            || anchor.GetPlainPosition() is not { } drop || _diagram.Container is null)
        {
            return;
        }
        var start = new Point(from.Position.X + (from.Size.Width / 2), from.Position.Y + (from.Size.Height / 2));
        if (drop.DistanceTo(start) < MinimumDragDistance)
        {
            return;
        }
        var onNode = _diagram.Nodes.OfType<GraphNodeModel>().FirstOrDefault(n => n != from.Node && n.Size is { } size
            && drop.X >= n.Position.X && drop.X <= n.Position.X + size.Width && drop.Y >= n.Position.Y && drop.Y <= n.Position.Y + size.Height);
        if (onNode is not null)
        {
            _ = InvokeAsync(() =>
            {
                if (ConnectToNew(from, onNode))
                {
                    Commit();
                }
                else
                {
                    LinkRefused($"{onNode.Title} has no free socket for {from.DataType}.");
                }
            });
            return;
        }
        var schemas = _schemas.Where(s => CanConnect(from, s)).ToList();
        var screen = _diagram.GetScreenPoint(drop.X, drop.Y);
        _search = new SearchRequest(screen.X, screen.Y, drop, from, schemas);
        _ = InvokeAsync(async () =>
        {
            StateHasChanged();
            await Task.Yield();
            await JS.InvokeVoidAsync("ndEditor.focusSearch");
        });
    }

    private static bool CanConnect(TypedPortModel from, NodeSchema schema) => from.IsInput
        ? schema.Outputs.Any(o => PortTypes.AreCompatible(o.Type, from.DataType))
        : schema.Inputs.Any(i => PortTypes.AreCompatible(RerouteTypes.TypeOf(from), i.Type));

    /// <summary>Links <paramref name="from"/> to the first compatible socket of <paramref name="node"/> (a free input first).</summary>
    private bool ConnectToNew(TypedPortModel from, GraphNodeModel node)
    {
        if (from.IsInput)
        {
            var output = node.OutputPorts.FirstOrDefault(o => PortTypes.AreCompatible(o.DataType, from.DataType));
            if (output is null)
            {
                return false;
            }
            Connect(output, from);
            return true;
        }
        var compatible = node.InputPorts.Where(i => RerouteTypes.WhyNot(from, i) is null).ToList();
        var input = compatible.FirstOrDefault(i => i.Links.Count == 0) ?? compatible.FirstOrDefault();
        if (input is null)
        {
            return false;
        }
        Connect(from, input);
        return true;
    }
}
