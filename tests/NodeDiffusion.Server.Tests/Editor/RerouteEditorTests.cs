using Blazor.Diagrams;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Server.Editor;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Server.Tests.Editor;

public sealed class RerouteEditorTests : IEditorContext, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly EngineHost _host;
    private readonly List<string> _refusals = [];

    public RerouteEditorTests() => _host = EngineHost.Create(EngineSettings.Under(_directory.Path));

    public IComboOptionsProvider ComboOptions => _host.ComboOptions;

    void IEditorContext.ValueChanged(GraphNodeModel node, string inputName)
    {
    }

    void IEditorContext.LinkRefused(string reason) => _refusals.Add(reason);

    public void Dispose() => _directory.Dispose();

    private GraphNodeModel Node(string id, string type) => RerouteNodeModel.Create(id, _host.Registry.Find(type)!.Schema, true, this, new(0, 0));

    [Fact]
    public void A_reroute_takes_the_type_it_is_fed_and_links_are_checked_against_it()
    {
        var diagram = new BlazorDiagram();
        var image = Node("1", "EmptyImage");
        var reroute = Node("2", "Reroute");
        var scale = Node("3", "ImageScale");
        var number = Node("4", "PrimitiveInt");
        diagram.Nodes.Add([image, reroute, scale, number]);
        Assert.IsType<RerouteNodeModel>(reroute);
        var carried = reroute.OutputPorts[0];

        // Unfed, it is "*" and would accept anything.
        Assert.Equal(PortTypes.Any, RerouteTypes.TypeOf(carried));
        Assert.Null(TypedPortModel.WhyNot(carried, scale.Input("width")!));

        diagram.Links.Add(WorkflowMapper.NewLink(image.OutputPorts[0], reroute.InputPorts[0]));
        Assert.Equal(PortTypes.Image, RerouteTypes.TypeOf(carried));
        Assert.True(carried.CanAttachTo(scale.Input("image")!));
        Assert.False(carried.CanAttachTo(scale.Input("width")!));
        var refusal = Assert.Single(_refusals);
        Assert.Contains("reroute (carrying IMAGE)", refusal, StringComparison.Ordinal);
        Assert.Contains("needs INT", refusal, StringComparison.Ordinal);

        // Once it feeds an IMAGE input, an INT may not come in through it either.
        var outgoing = WorkflowMapper.NewLink(carried, scale.Input("image")!);
        diagram.Links.Add(outgoing);
        Assert.Equal(PortColors.Of(PortTypes.Image), outgoing.Color);
        Assert.Contains("leads to", TypedPortModel.WhyNot(number.OutputPorts[0], reroute.InputPorts[0]), StringComparison.Ordinal);
        Assert.Contains("needs IMAGE", TypedPortModel.WhyNot(number.OutputPorts[0], reroute.InputPorts[0]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_loop_of_reroutes_is_refused_and_does_not_hang()
    {
        var diagram = new BlazorDiagram();
        var first = Node("1", "Reroute");
        var second = Node("2", "Reroute");
        diagram.Nodes.Add([first, second]);
        diagram.Links.Add(WorkflowMapper.NewLink(first.OutputPorts[0], second.InputPorts[0]));

        Assert.Equal("A reroute cannot feed itself through a loop.", TypedPortModel.WhyNot(second.OutputPorts[0], first.InputPorts[0]));
        Assert.Equal(PortTypes.Any, RerouteTypes.TypeOf(second.OutputPorts[0]));
    }

    [Fact]
    public void Reroutes_round_trip_through_the_diagram()
    {
        var workflow = new Workflow();
        workflow.Nodes["1"] = new WorkflowNode { Type = "EmptyImage" };
        workflow.Nodes["2"] = new WorkflowNode { Type = "Reroute", Layout = new NodeLayout([300, 40]) };
        workflow.Nodes["2"].Links["input"] = new LinkRef("1", 0);
        workflow.Nodes["3"] = new WorkflowNode { Type = "ImageInvert" };
        workflow.Nodes["3"].Links["image"] = new LinkRef("2", 0);
        var diagram = new BlazorDiagram();

        WorkflowMapper.Load(diagram, workflow, _host.Registry, this);
        var back = WorkflowMapper.ToWorkflow(diagram, null);

        Assert.IsType<RerouteNodeModel>(diagram.Nodes.Single(n => n.Id == "2"));
        Assert.Equal(("Reroute", new LinkRef("1", 0)), (back.Nodes["2"].Type, back.Nodes["2"].Links["input"]));
        Assert.Equal(new LinkRef("2", 0), back.Nodes["3"].Links["image"]);
        Assert.Equal([300.0, 40.0], back.Nodes["2"].Layout!.Position!);
    }
}
