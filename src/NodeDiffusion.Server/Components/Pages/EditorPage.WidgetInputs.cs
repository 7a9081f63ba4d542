using NodeDiffusion.Server.Editor;

namespace NodeDiffusion.Server.Components.Pages;

/// <summary>Widgets as inputs: ComfyUI's "Convert X to input" and "Convert X to widget" in the node menu.</summary>
public sealed partial class EditorPage
{
    private static IEnumerable<EditorMenuItem> WidgetConversionItems(GraphNodeModel node) =>
        node.Schema.Inputs.Where(input => input.IsWidget).Select(input => node.ShowsAsInput(input)
            ? new EditorMenuItem("unlink:" + input.Name, $"Convert {input.Name} to widget")
            : new EditorMenuItem("to-input:" + input.Name, $"Convert {input.Name} to input"));

    /// <summary>Shows the widget as a socket with its name, ready for a link; its value is kept for when it turns back.</summary>
    private void ConvertToInput(GraphNodeModel node, string inputName)
    {
        if (node.Schema.FindInput(inputName) is not { IsWidget: true } || !node.ConvertedWidgets.Add(inputName))
        {
            return;
        }
        node.Refresh();
        Commit();
    }

    /// <summary>Removes the links into the input and shows its widget again: one undo step.</summary>
    private void ConvertToWidget(GraphNodeModel node, TypedPortModel port)
    {
        node.ConvertedWidgets.Remove(port.Name);
        node.Errors.RemoveAll(e => e.InputName == port.Name);
        if (port.Links.Count > 0)
        {
            _diagram.Links.Remove(port.Links.ToList());
        }
        node.Refresh();
        Commit();
    }
}
