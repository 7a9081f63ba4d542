using System.Text.Json;
using Blazor.Diagrams;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Registry;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Server.Editor;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Server.Tests.Editor;

public sealed class EditorModelTests : IEditorContext, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly EngineHost _host;
    private readonly List<string> _refusals = [];

    public EditorModelTests() => _host = EngineHost.Create(EngineSettings.Under(_directory.Path));

    public IComboOptionsProvider ComboOptions => _host.ComboOptions;

    void IEditorContext.ValueChanged(GraphNodeModel node, string inputName)
    {
    }

    void IEditorContext.LinkRefused(string reason) => _refusals.Add(reason);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_default_workflow_round_trips_through_the_diagram()
    {
        var original = WorkflowJson.ParseFile(Path.Combine(SharedData.RepositoryRoot, "workflows", "image-basics.json")).Workflow!;
        var diagram = new BlazorDiagram();
        WorkflowMapper.Load(diagram, original, _host.Registry, this);
        Assert.Equal(6, diagram.Nodes.OfType<GraphNodeModel>().Count());
        Assert.Single(diagram.Nodes.OfType<GroupBoxModel>());
        Assert.Equal(5, diagram.Links.Count);

        var back = WorkflowMapper.ToWorkflow(diagram, original.Name, original);
        Assert.Equal(original.Groups, back.Groups, (a, b) => a.Title == b.Title && a.Color == b.Color && a.Bounding.SequenceEqual(b.Bounding));
        Assert.Equal(original.Viewport, back.Viewport);
        Assert.Equal(original.Nodes.Keys, back.Nodes.Keys);
        foreach (var (id, node) in original.Nodes)
        {
            Assert.Equal(node.Type, back.Nodes[id].Type);
            Assert.Equal(node.Links, back.Nodes[id].Links);
            foreach (var (name, value) in node.Inputs)
            {
                Assert.Equal(value.GetRawText(), back.Nodes[id].Inputs[name].GetRawText());
            }
            Assert.Equal(node.Layout!.Position, back.Nodes[id].Layout!.Position);
        }
        Assert.True(_host.Validator.Validate(back).IsValid);
    }

    [Fact]
    public void An_unknown_node_type_is_kept_with_its_links_and_values()
    {
        var json = """
            {"format":"nodediffusion.workflow","version":1,"nodes":{
              "1":{"type":"EmptyImage","inputs":{"width":64,"height":64,"batch_size":1,"color":0}},
              "2":{"type":"FancyUpscaler","inputs":{"factor":4},"links":{"image":["1",0]}},
              "3":{"type":"SaveImage","inputs":{"filename_prefix":"x"},"links":{"images":["2",0]}}}}
            """;
        var diagram = new BlazorDiagram();
        WorkflowMapper.Load(diagram, WorkflowJson.Parse(json).Workflow!, _host.Registry, this);
        var missing = diagram.Nodes.OfType<GraphNodeModel>().Single(n => n.Id == "2");
        Assert.False(missing.Known);
        Assert.Equal(2, diagram.Links.Count);
        var back = WorkflowMapper.ToWorkflow(diagram, null);
        Assert.Equal(new LinkRef("1", 0), back.Nodes["2"].Links["image"]);
        Assert.Equal(new LinkRef("2", 0), back.Nodes["3"].Links["images"]);
        Assert.Equal("4", back.Nodes["2"].Inputs["factor"].GetRawText());
    }

    [Fact]
    public void Sockets_accept_only_compatible_types_and_say_why_not()
    {
        var diagram = new BlazorDiagram();
        var image = new GraphNodeModel("1", Schema("EmptyImage"), true, this, new(0, 0));
        var scale = new GraphNodeModel("2", Schema("ImageScale"), true, this, new(0, 0));
        diagram.Nodes.Add([image, scale]);
        Assert.True(image.OutputPorts[0].CanAttachTo(scale.Input("image")!));
        Assert.False(image.OutputPorts[0].CanAttachTo(scale.Input("width")!));
        Assert.Contains("needs INT", Assert.Single(_refusals));
        Assert.NotNull(TypedPortModel.WhyNot(scale.Input("image")!, scale.Input("width")!));
        Assert.Equal("A node cannot feed itself.", TypedPortModel.WhyNot(scale.OutputPorts[0], scale.Input("image")!));
    }

    [Fact]
    public void Widget_numbers_are_clamped_to_their_limits()
    {
        var width = Schema("EmptyImage").FindInput("width")!;
        Assert.Equal(width.Min!.Value.ToString(), WidgetValues.ParseNumber(width, "-50")!.Value.GetRawText());
        Assert.Equal("300", WidgetValues.ParseNumber(width, "300")!.Value.GetRawText());
        Assert.Null(WidgetValues.ParseNumber(width, "wide"));
    }

    [Theory]
    [InlineData("increment", 10, 11)]
    [InlineData("decrement", 10, 9)]
    [InlineData("decrement", 0, 0)]
    [InlineData("fixed", 10, 10)]
    public void Seeds_change_after_a_run_as_their_control_says(string control, long seed, long expected)
    {
        var next = SeedControl.Apply(control, JsonSerializer.SerializeToElement(seed), 0, ulong.MaxValue);
        Assert.Equal(expected, next.GetInt64());
    }

    [Fact]
    public void Random_seeds_stay_within_the_limits()
    {
        for (var i = 0; i < 100; i++)
        {
            var next = SeedControl.Apply(SeedControl.Randomize, JsonSerializer.SerializeToElement(5), 0, 1000).GetDecimal();
            Assert.InRange(next, 0, 1000);
        }
    }

    [Fact]
    public void Search_is_fuzzy_over_names_and_categories()
    {
        var schemas = _host.Registry.Definitions.Select(d => d.Schema).ToList();
        Assert.Equal("ImageInvert", NodeSearch.Find("invrt img", schemas)[0].TypeId);
        Assert.Equal("SaveImage", NodeSearch.Find("save", schemas)[0].TypeId);
        Assert.Contains(NodeSearch.Find("utils/math", schemas), s => s.TypeId == "IntMath");
        Assert.Empty(NodeSearch.Find("zzzzqqq", schemas));
    }

    [Fact]
    public void Undo_and_redo_walk_the_snapshots_and_a_new_edit_drops_the_redo_branch()
    {
        var history = new UndoHistory();
        Assert.True(history.Record("a"));
        Assert.False(history.Record("a"));
        history.Record("b");
        history.Record("c");
        Assert.Equal("b", history.Undo());
        Assert.Equal("a", history.Undo());
        Assert.Null(history.Undo());
        Assert.Equal("b", history.Redo());
        history.Record("d");
        Assert.False(history.CanRedo);
        Assert.Equal("b", history.Undo());
    }

    private Graph.Schema.NodeSchema Schema(string type) => _host.Registry.Find(type)!.Schema;
}
