using Blazor.Diagrams;
using Blazor.Diagrams.Core.Geometry;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using NodeDiffusion.Engine.Hosting;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Validation;
using NodeDiffusion.Server.Components.Editor;
using NodeDiffusion.Server.Editor;
using NodeDiffusion.Server.Files;
using NodeDiffusion.Server.Hosting;
using NodeDiffusion.Testing;
using WidgetValues = NodeDiffusion.Server.Editor.WidgetValues;

namespace NodeDiffusion.Server.Tests.Editor;

/// <summary>Node cards and widgets rendered with bUnit: the right control per input type, limits, and edits reaching the model.</summary>
public sealed class WidgetComponentTests : IEditorContext, IAsyncLifetime
{
    private readonly BunitContext _context = new();
    private readonly TempDirectory _directory = new();
    private readonly EngineHost _host;
    private readonly List<string> _changes = [];

    public WidgetComponentTests()
    {
        _host = EngineHost.Create(EngineSettings.Under(_directory.Path));
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.JSInterop.Setup<Rectangle>("ZBlazorDiagrams.getBoundingClientRect", _ => true).SetResult(new Rectangle(0, 0, 1200, 800));
        _context.Services.AddMudServices();
        _context.Services.AddSingleton(_host);
        _context.Services.AddSingleton(new ServerOptions(_directory.Path, 1 << 20, 1 << 20, false));
        _context.Services.AddSingleton<ImageUploads>();
    }

    IComboOptionsProvider IEditorContext.ComboOptions => _host.ComboOptions;

    void IEditorContext.ValueChanged(GraphNodeModel node, string inputName) => _changes.Add($"{node.Id}.{inputName}");

    void IEditorContext.LinkRefused(string reason)
    {
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public void A_number_widget_has_its_limits_and_clamps_what_is_typed()
    {
        var node = Node("EmptyImage");
        var width = node.Schema.FindInput("width")!;
        var cut = RenderWidget(node, "width");
        var input = cut.Find("input[type=number]");
        Assert.Equal(width.Min!.Value.ToString(), input.GetAttribute("min"));
        Assert.Equal(width.Max!.Value.ToString(), input.GetAttribute("max"));
        input.Change("-40");
        Assert.Equal(width.Min.Value.ToString(), node.Values["width"].GetRawText());
        input.Change("640");
        Assert.Equal("640", node.Values["width"].GetRawText());
        Assert.Equal(["1.width", "1.width"], _changes);
        input.Change("lots");
        Assert.Equal("640", node.Values["width"].GetRawText());
    }

    [Fact]
    public void A_combo_lists_its_options_and_flags_a_value_that_is_not_one()
    {
        var node = Node("ImageBlend");
        node.Values["blend_mode"] = WidgetValues.String("sparkle");
        var cut = RenderWidget(node, "blend_mode");
        var options = cut.FindAll("select option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Contains("overlay", options);
        Assert.Equal("sparkle", options[0]);
        Assert.Contains("(missing)", cut.Find("option.nd-missing-option").TextContent);
        cut.Find("select").Change("overlay");
        Assert.Equal("\"overlay\"", node.Values["blend_mode"].GetRawText());
    }

    [Fact]
    public void Text_boolean_and_seed_widgets_use_their_own_controls()
    {
        var text = RenderWidget(Node("PrimitiveStringMultiline"), "value");
        text.Find("textarea").Change("a\nb");
        var boolean = Node("PrimitiveBoolean");
        var toggle = RenderWidget(boolean, "value");
        toggle.Find("input[type=checkbox]").Change(true);
        Assert.Equal("true", boolean.Values["value"].GetRawText());
        var seed = Node("PrimitiveInt");
        var seedWidget = RenderWidget(seed, "value");
        seedWidget.Find("select.nd-seed-control").Change(SeedControl.Increment);
        Assert.Equal(SeedControl.Increment, seed.SeedControls["value"]);
    }

    [Fact]
    public void A_node_card_shows_errors_on_their_input_and_hides_a_widget_that_a_link_feeds()
    {
        var diagram = new BlazorDiagram();
        var source = new GraphNodeModel("1", _host.Registry.Find("PrimitiveInt")!.Schema, true, this, new Point(0, 0));
        var image = new GraphNodeModel("2", _host.Registry.Find("EmptyImage")!.Schema, true, this, new Point(300, 0));
        diagram.Nodes.Add([source, image]);
        diagram.Links.Add(WorkflowMapper.NewLink(source.OutputPorts[0], image.Input("width")!));
        image.Errors.Add(new ValidationError(ValidationCodes.ValueOutOfRange, "height is too big", "2", "EmptyImage", "height"));

        var cut = _context.Render<Microsoft.AspNetCore.Components.CascadingValue<BlazorDiagram>>(p => p
            .Add(c => c.Value, diagram).Add(c => c.IsFixed, true)
            .AddChildContent<NodeCard>(card => card.Add(x => x.Node, image)));

        Assert.Empty(cut.FindAll(".nd-row[data-input='width'] input"));
        Assert.Equal("width", cut.Find(".nd-row[data-input='width'] .nd-label").TextContent);
        Assert.Single(cut.FindAll(".nd-row[data-input='height'] input"));
        Assert.Contains("nd-row-error", cut.Find(".nd-row[data-input='height']").ClassList);
        Assert.Equal("height is too big", cut.Find(".nd-error-text").TextContent);
        Assert.Contains("nd-has-error", cut.Find(".nd-node").ClassList);
        Assert.Equal(4, cut.FindAll(".nd-port.nd-in").Count);
        Assert.Single(cut.FindAll(".nd-port.nd-out.t-IMAGE"));
    }

    private GraphNodeModel Node(string type) =>
        new("1", _host.Registry.Find(type)!.Schema, true, this, new Point(0, 0));

    private IRenderedComponent<WidgetEditor> RenderWidget(GraphNodeModel node, string input) =>
        _context.Render<WidgetEditor>(p => p.Add(w => w.Node, node).Add(w => w.Input, node.Schema.FindInput(input)!));
}
