using Blazor.Diagrams;
using Blazor.Diagrams.Core.Geometry;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Validation;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Server.Editor;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Server.Tests.Editor;

/// <summary>The canvas models behind viewport restore, group resize and widgets converted to inputs.</summary>
public sealed class CanvasModelTests : IEditorContext, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly EngineHost _host;

    public CanvasModelTests() => _host = EngineHost.Create(EngineSettings.Under(_directory.Path));

    public IComboOptionsProvider ComboOptions => _host.ComboOptions;

    void IEditorContext.ValueChanged(GraphNodeModel node, string inputName)
    {
    }

    void IEditorContext.LinkRefused(string reason)
    {
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_viewport_maps_to_the_diagrams_pan_and_back()
    {
        // ComfyUI: screen = (canvas + offset) * scale; the diagram: screen = canvas * zoom + pan.
        var (pan, zoom) = ViewportMapping.ToDiagram(new Viewport(-120, 35.5, 0.5), 0.2, 2);
        Assert.Equal((-60.0, 17.75, 0.5), (pan.X, pan.Y, zoom));
        Assert.Equal(new Viewport(-120, 35.5, 0.5), ViewportMapping.FromDiagram(pan, zoom));

        var canvasPoint = new Point(300, 200);
        Assert.Equal((canvasPoint.X + -120) * 0.5, (canvasPoint.X * zoom) + pan.X);
    }

    [Fact]
    public void A_viewport_outside_the_zoom_limits_or_not_finite_is_tamed()
    {
        Assert.Equal(2, ViewportMapping.ToDiagram(new Viewport(0, 0, 10), 0.2, 2).Zoom);
        Assert.Equal(0.2, ViewportMapping.ToDiagram(new Viewport(0, 0, 0.01), 0.2, 2).Zoom);
        var (pan, zoom) = ViewportMapping.ToDiagram(new Viewport(double.NaN, double.PositiveInfinity, 0), 0.2, 2);
        Assert.Equal((0.0, 0.0, 1.0), (pan.X, pan.Y, zoom));
    }

    [Fact]
    public void Fitting_centres_every_box_and_never_zooms_past_one()
    {
        // Two boxes spanning (0, 0)–(2000, 1000) in a 1040 × 540 container with a 20 px margin: zoom 0.5, centred.
        var boxes = new (Point, Size?)[] { (new Point(0, 0), new Size(100, 100)), (new Point(1900, 900), new Size(100, 100)) };
        var (pan, zoom) = ViewportMapping.Fit(boxes, 1040, 540, 20, 0.2);
        Assert.Equal(0.5, zoom);
        Assert.Equal((20.0, 20.0), (pan.X, pan.Y));

        // A small workflow is shown at 1:1 in the middle; an unmeasured node counts as 220 × 120.
        (pan, zoom) = ViewportMapping.Fit([(new Point(100, 50), null)], 1000, 600, 40, 0.2);
        Assert.Equal(1, zoom);
        Assert.Equal((1000 - 220) / 2.0 - 100, pan.X);
        Assert.Equal((600 - 120) / 2.0 - 50, pan.Y);

        Assert.Equal(1, ViewportMapping.Fit([], 1000, 600, 40, 0.2).Zoom);
    }

    [Fact]
    public void A_resized_group_keeps_a_minimum_size_and_its_members_follow_the_new_bounds()
    {
        var diagram = new BlazorDiagram();
        WorkflowMapper.Load(diagram, DefaultWorkflow(), _host.Registry, this);
        var group = diagram.Nodes.OfType<GroupBoxModel>().Single();
        foreach (var node in diagram.Nodes.OfType<GraphNodeModel>())
        {
            node.Size = new Size(220, 120);
        }
        Assert.Equal(["1", "2"], group.Members(diagram.Nodes).Select(n => n.Id).Order());

        // Node 3 is at (360, 160): widen the group (20, 40, 300 × 500) past its centre.
        var resize = new GroupResize(group.Size!, new Point(500, 500), 0.5);
        Assert.True(group.ResizeTo(resize.SizeAt(500 + 150, 500)));
        Assert.Equal((600.0, 500.0), (group.Size!.Width, group.Size.Height));
        Assert.False(group.ResizeTo(new Size(600.2, 499.8)));
        Assert.Equal(["1", "2", "3"], group.Members(diagram.Nodes).Select(n => n.Id).Order());
        Assert.Equal([360.0, 160.0], [diagram.Nodes.Single(n => n.Id == "3").Position.X, diagram.Nodes.Single(n => n.Id == "3").Position.Y]);

        var saved = WorkflowMapper.ToWorkflow(diagram, "resized");
        Assert.Equal([20.0, 40.0, 600.0, 500.0], saved.Groups.Single().Bounding);

        group.ResizeTo(new Size(3, -50));
        Assert.Equal((GroupBoxModel.MinimumSize.Width, GroupBoxModel.MinimumSize.Height), (group.Size!.Width, group.Size.Height));
        Assert.Empty(group.Members(diagram.Nodes));
    }

    [Fact]
    public void A_widget_converted_to_an_input_round_trips_and_needs_a_link()
    {
        var diagram = new BlazorDiagram();
        WorkflowMapper.Load(diagram, DefaultWorkflow(), _host.Registry, this);
        var scale = diagram.Nodes.OfType<GraphNodeModel>().Single(n => n.Id == "5");
        var width = scale.Schema.FindInput("width")!;
        Assert.False(scale.ShowsAsInput(width));
        scale.ConvertedWidgets.Add("width");
        Assert.True(scale.ShowsAsInput(width));

        var saved = WorkflowMapper.ToWorkflow(diagram, "converted", DefaultWorkflow());
        Assert.Equal(["width"], ConvertedWidgets.Of(saved.Nodes["5"]));
        Assert.Equal(384, saved.Nodes["5"].Inputs["width"].GetInt32()); // the value is kept for converting back
        var reparsed = WorkflowJson.Parse(WorkflowJson.Serialize(saved)).Workflow!;
        var again = new BlazorDiagram();
        WorkflowMapper.Load(again, reparsed, _host.Registry, this);
        var loaded = again.Nodes.OfType<GraphNodeModel>().Single(n => n.Id == "5");
        Assert.Equal(["width"], loaded.ConvertedWidgets);
        Assert.DoesNotContain(ConvertedWidgets.ExtraKey, loaded.Extra.Keys);

        // As in ComfyUI, whose frontend leaves a converted, unlinked widget out of the prompt: the required input is missing.
        var result = _host.Validator.Validate(reparsed);
        var error = Assert.Single(result.Errors);
        Assert.Equal((ValidationCodes.MissingRequiredInput, "5", "width"), (error.Code, error.NodeId, error.InputName));
        Assert.Contains("Required input is missing", error.Message);
        Assert.Contains("converted to an input, so it needs a link (INT)", error.Message);

        // Linked, the link is checked instead (an IMAGE output does not fit an INT); converted back (the list emptied), the widget's value is used again.
        reparsed.Nodes["5"].Links["width"] = new LinkRef("1", 0);
        Assert.Contains(_host.Validator.Validate(reparsed).Errors, e => e.InputName == "width" && e.Code != ValidationCodes.MissingRequiredInput);
        reparsed.Nodes["5"].Links.Remove("width");
        ConvertedWidgets.Set(reparsed.Nodes["5"], []);
        Assert.False(reparsed.Nodes["5"].Extra.ContainsKey(ConvertedWidgets.ExtraKey));
        Assert.True(_host.Validator.Validate(reparsed).IsValid);
    }

    private static Workflow DefaultWorkflow() =>
        WorkflowJson.ParseFile(Path.Combine(SharedData.RepositoryRoot, "workflows", "image-basics.json")).Workflow!;
}
