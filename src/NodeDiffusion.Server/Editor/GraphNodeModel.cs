using System.Text.Json;
using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using NodeDiffusion.Graph.Schema;
using NodeDiffusion.Graph.Validation;
using NodeDiffusion.Graph.Workflows;

namespace NodeDiffusion.Server.Editor;

/// <summary>
/// A workflow node on the canvas. It has one input socket per input (a widget input's socket lets a link replace
/// the widget) and one output socket per output. Widget values stay JSON so that u64 seeds and 1.0 vs 1 round-trip.
/// </summary>
public class GraphNodeModel : NodeModel
{
    public GraphNodeModel(string id, NodeSchema schema, bool known, IEditorContext context, Point position)
        : base(id, position)
    {
        Schema = schema;
        Known = known;
        Context = context;
        Title = schema.DisplayName;
        for (var i = 0; i < schema.Inputs.Count; i++)
        {
            var input = schema.Inputs[i];
            InputPorts.Add((TypedPortModel)AddPort(new TypedPortModel(this, input.Name, input.Type, true, i)));
            if (input.IsWidget && (!input.Optional || input.Default is not null))
            {
                Values[input.Name] = WidgetValues.Default(input);
            }
            if (input.ControlAfterGenerate)
            {
                SeedControls[input.Name] = SeedControl.Fixed;
            }
        }
        for (var i = 0; i < schema.Outputs.Count; i++)
        {
            OutputPorts.Add((TypedPortModel)AddPort(new TypedPortModel(this, schema.Outputs[i].Name, schema.Outputs[i].Type, false, i)));
        }
    }

    public NodeSchema Schema { get; }

    /// <summary>False for a node whose type this server does not have: it is kept and shown, but cannot run.</summary>
    public bool Known { get; }

    public IEditorContext Context { get; }

    public string TypeId => Schema.TypeId;

    public List<TypedPortModel> InputPorts { get; } = [];

    public List<TypedPortModel> OutputPorts { get; } = [];

    public Dictionary<string, JsonElement> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>What happens to a seed after each queued run: fixed, increment, decrement or randomize.</summary>
    public Dictionary<string, string> SeedControls { get; } = new(StringComparer.Ordinal);

    public string? CustomTitle { get; set; }

    public NodeMode Mode { get; set; }

    /// <summary>Shows only the title bar; the sockets stay so that links still attach.</summary>
    public bool Collapsed { get; set; }

    /// <summary>Title-bar colour (ComfyUI's node "color"), or null for the default.</summary>
    public string? Color { get; set; }

    /// <summary>Body colour (ComfyUI's node "bgcolor"), or null for the default.</summary>
    public string? BackgroundColor { get; set; }

    /// <summary>The size a workflow stored for this node; kept so that load → save loses nothing.</summary>
    public double[]? StoredSize { get; set; }

    public OrderedDictionary<string, JsonElement> Extra { get; } = new(StringComparer.Ordinal);

    /// <summary>Widgets shown as inputs (socket and name, no editor) even while nothing is linked: ComfyUI's "Convert to input".</summary>
    public HashSet<string> ConvertedWidgets { get; } = new(StringComparer.Ordinal);

    public NodeRunState Run { get; } = new();

    public List<ValidationError> Errors { get; } = [];

    public TypedPortModel? Input(string name) => InputPorts.FirstOrDefault(p => p.Name == name);

    public bool IsLinked(string inputName) => Input(inputName) is { } port && port.Links.Count > 0;

    /// <summary>Whether the input shows as a socket with its name instead of its widget.</summary>
    public bool ShowsAsInput(InputSpec input) => !input.IsWidget || ConvertedWidgets.Contains(input.Name) || IsLinked(input.Name);

    /// <summary>Ctrl+M / Ctrl+B as in ComfyUI: switch to <paramref name="mode"/>, or back to normal when already there.</summary>
    public void ToggleMode(NodeMode mode) => Mode = Mode == mode ? NodeMode.Normal : mode;
}
