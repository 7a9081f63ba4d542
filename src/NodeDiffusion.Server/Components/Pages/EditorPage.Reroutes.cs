using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Server.Editor;

namespace NodeDiffusion.Server.Components.Pages;

/// <summary>Reroutes: split a link at a point, and keep every reroute's colour on the type it carries.</summary>
public sealed partial class EditorPage
{
    /// <summary>Half the pill's size, so that the reroute is centred where the link was clicked.</summary>
    private static readonly Point RerouteCentre = new(22, 11);

    /// <summary>Replaces a link by output → new reroute → input, as one undo step.</summary>
    private void AddReroute(string? linkId, Point at)
    {
        var link = _diagram.Links.FirstOrDefault(l => l.Id == linkId);
        if (link?.Source.Model is not TypedPortModel a || link.Target.Model is not TypedPortModel b
            || Host.Registry.Find(Reroute.TypeId)?.Schema is not { } schema)
        {
            return;
        }
        var (output, input) = a.IsInput ? (b, a) : (a, b);
        var reroute = RerouteNodeModel.Create(NextNodeId(), schema, known: true, this, new Point(at.X - RerouteCentre.X, at.Y - RerouteCentre.Y));
        _diagram.Batch(() =>
        {
            _diagram.Nodes.Add(reroute);
            _diagram.Links.Remove(link);
            _diagram.Links.Add(WorkflowMapper.NewLink(output, reroute.InputPorts[0]));
            _diagram.Links.Add(WorkflowMapper.NewLink(reroute.OutputPorts[0], input));
        });
        Commit();
    }

    /// <summary>Recolours reroutes and the links leaving them after links changed upstream.</summary>
    private void RefreshReroutes()
    {
        foreach (var reroute in _diagram.Nodes.OfType<RerouteNodeModel>())
        {
            var type = RerouteTypes.TypeOf(reroute.OutputPorts[0]);
            var color = PortColors.Of(type);
            foreach (var link in reroute.OutputPorts[0].Links.OfType<LinkModel>().Where(l => l.Color != color))
            {
                link.Color = color;
                link.Refresh();
            }
            if (reroute.DrawnType == type)
            {
                continue;
            }
            reroute.DrawnType = type;
            reroute.Refresh();
        }
    }
}
