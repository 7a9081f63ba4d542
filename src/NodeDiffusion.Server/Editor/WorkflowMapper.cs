using System.Text.Json;
using Blazor.Diagrams;
using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Registry;
using NodeDiffusion.Graph.Schema;
using NodeDiffusion.Graph.Workflows;

namespace NodeDiffusion.Server.Editor;

/// <summary>Projects the workflow (the source of truth) onto the diagram and back, with node ids kept 1:1.</summary>
public static class WorkflowMapper
{
    private const string SeedControlKey = "control_after_generate";

    public static void Load(BlazorDiagram diagram, Workflow workflow, NodeRegistry registry, IEditorContext context)
    {
        diagram.Batch(() =>
        {
            diagram.Links.Remove(diagram.Links.ToList());
            diagram.Nodes.Remove(diagram.Nodes.ToList());
            AddGroups(diagram, workflow.Groups);
            AddNodes(diagram, workflow, registry, context, linkOutside: false);
        });
    }

    /// <summary>Adds groups behind every node.</summary>
    public static IReadOnlyList<GroupBoxModel> AddGroups(BlazorDiagram diagram, IEnumerable<WorkflowGroup> groups)
    {
        var added = new List<GroupBoxModel>();
        foreach (var group in groups)
        {
            var model = GroupBoxModel.From(NewGroupId(), group);
            diagram.Nodes.Add(model);
            diagram.SendToBack(model);
            added.Add(model);
        }
        return added;
    }

    public static string NewGroupId() => "group-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>
    /// Adds the workflow's nodes and the links between them. With <paramref name="linkOutside"/>, links from nodes that
    /// are not in <paramref name="workflow"/> but are on the canvas are made too (ComfyUI's Ctrl+Shift+V).
    /// </summary>
    public static IReadOnlyList<GraphNodeModel> AddNodes(BlazorDiagram diagram, Workflow workflow, NodeRegistry registry, IEditorContext context, bool linkOutside)
    {
        var index = 0;
        var models = new Dictionary<string, GraphNodeModel>(StringComparer.Ordinal);
        foreach (var (id, node) in workflow.Nodes)
        {
            var known = registry.Find(node.Type)?.Schema;
            var schema = known ?? Placeholder(node, workflow);
            var position = node.Layout?.Position is [var x, var y, ..] ? new Point(x, y) : new Point(40 + (index % 4) * 300, 60 + (index / 4) * 260);
            var model = RerouteNodeModel.Create(id, schema, known is not null, context, position);
            foreach (var (name, value) in node.Inputs)
            {
                model.Values[name] = value;
            }
            if (node.Extra.TryGetValue(SeedControlKey, out var controls) && controls.ValueKind == JsonValueKind.Object)
            {
                foreach (var control in controls.EnumerateObject().Where(c => c.Value.ValueKind == JsonValueKind.String))
                {
                    model.SeedControls[control.Name] = control.Value.GetString()!;
                }
            }
            foreach (var (key, value) in node.Extra.Where(e => e.Key is not (SeedControlKey or ConvertedWidgets.ExtraKey)))
            {
                model.Extra[key] = value;
            }
            model.ConvertedWidgets.UnionWith(ConvertedWidgets.Of(node).Where(name => known is null || schema.FindInput(name) is { IsWidget: true }));
            model.CustomTitle = node.Layout?.Title;
            if (model.CustomTitle is not null)
            {
                model.Title = model.CustomTitle;
            }
            model.Mode = node.Mode;
            model.Collapsed = node.Layout?.Collapsed ?? false;
            model.Color = node.Layout?.Color;
            model.BackgroundColor = node.Layout?.BackgroundColor;
            model.StoredSize = node.Layout?.Size;
            models[id] = model;
            diagram.Nodes.Add(model);
            index++;
        }
        var existing = linkOutside
            ? diagram.Nodes.OfType<GraphNodeModel>().Where(n => !models.ContainsKey(n.Id)).ToDictionary(n => n.Id, StringComparer.Ordinal)
            : [];
        foreach (var (id, node) in workflow.Nodes)
        {
            foreach (var (inputName, link) in node.Links)
            {
                var source = models.GetValueOrDefault(link.Node) ?? existing.GetValueOrDefault(link.Node);
                if (source is not null && link.Output < source.OutputPorts.Count && models[id].Input(inputName) is { } target)
                {
                    diagram.Links.Add(NewLink(source.OutputPorts[link.Output], target));
                }
            }
        }
        return models.Values.ToList();
    }

    public static LinkModel NewLink(TypedPortModel source, TypedPortModel target) =>
        new(source, target) { Color = PortColors.Of(RerouteTypes.TypeOf(source)), SelectedColor = "#ffffff" };

    /// <summary>
    /// The workflow on the canvas. <paramref name="carry"/> is the workflow last loaded: what the editor does not show
    /// (model references, unknown properties) is copied from it so that load → save loses nothing.
    /// </summary>
    public static Workflow ToWorkflow(BlazorDiagram diagram, string? name, Workflow? carry = null) =>
        ToWorkflow(diagram.Nodes.OfType<GraphNodeModel>(), diagram.Nodes.OfType<GroupBoxModel>(), name, carry);

    public static Workflow ToWorkflow(IEnumerable<GraphNodeModel> nodes, IEnumerable<GroupBoxModel> groups, string? name, Workflow? carry = null)
    {
        var workflow = new Workflow { Name = name };
        foreach (var model in nodes)
        {
            workflow.Nodes[model.Id] = ToWorkflowNode(model);
        }
        workflow.Groups.AddRange(groups.Select(g => g.ToWorkflowGroup()));
        if (carry is not null)
        {
            workflow.Viewport = carry.Viewport;
            workflow.Models.AddRange(carry.Models);
            foreach (var (key, value) in carry.Extra)
            {
                workflow.Extra[key] = value;
            }
        }
        return workflow;
    }

    private static WorkflowNode ToWorkflowNode(GraphNodeModel model)
    {
        var node = new WorkflowNode { Type = model.TypeId, Mode = model.Mode };
        foreach (var (key, value) in model.Values)
        {
            node.Inputs[key] = value;
        }
        foreach (var port in model.InputPorts)
        {
            var link = port.Links.FirstOrDefault(l => l.Source.Model is TypedPortModel && l.Target.Model is TypedPortModel);
            if (link is not null)
            {
                var output = (TypedPortModel)(link.Source.Model == port ? link.Target.Model! : link.Source.Model!);
                node.Links[port.Name] = new LinkRef(output.Node.Id, output.Index);
            }
        }
        if (model.SeedControls.Count > 0)
        {
            node.Extra[SeedControlKey] = JsonSerializer.SerializeToElement(model.SeedControls);
        }
        foreach (var (key, value) in model.Extra)
        {
            node.Extra[key] = value;
        }
        ConvertedWidgets.Set(node, model.ConvertedWidgets.Order(StringComparer.Ordinal));
        node.Layout = new NodeLayout(
            Position: [Math.Round(model.Position.X), Math.Round(model.Position.Y)],
            Size: model.StoredSize,
            Title: model.CustomTitle,
            Color: model.Color,
            BackgroundColor: model.BackgroundColor,
            Collapsed: model.Collapsed);
        return node;
    }

    /// <summary>A stand-in schema for a node type this server lacks, so the workflow still opens and keeps its links.</summary>
    private static NodeSchema Placeholder(WorkflowNode node, Workflow workflow)
    {
        var inputs = node.Links.Keys.Select(name => new InputSpec(name, PortTypes.Any, false, true, typeof(object))).ToList();
        var outputCount = workflow.Nodes.Values.SelectMany(n => n.Links.Values)
            .Where(l => workflow.Nodes.TryGetValue(l.Node, out var source) && source == node)
            .Select(l => l.Output + 1).DefaultIfEmpty(0).Max();
        var outputs = Enumerable.Range(0, outputCount).Select(i => new OutputSpec($"output {i}", PortTypes.Any, typeof(object))).ToList();
        return new NodeSchema(node.Type, $"{node.Type} (missing)", "missing", "This node type is not installed on this server.", 1, false, false, inputs, outputs, []);
    }
}
