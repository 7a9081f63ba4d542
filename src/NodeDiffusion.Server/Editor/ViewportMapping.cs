using Blazor.Diagrams.Core.Geometry;
using NodeDiffusion.Graph.Workflows;

namespace NodeDiffusion.Server.Editor;

/// <summary>
/// The workflow's <see cref="Viewport"/> is ComfyUI's <c>extra.ds</c>: an offset in canvas units and a scale, with
/// screen = (canvas + offset) × scale. The diagram keeps a pan in screen pixels: screen = canvas × zoom + pan.
/// </summary>
public static class ViewportMapping
{
    /// <summary>The nodes' size before the browser has measured them.</summary>
    private static readonly Size Unmeasured = new(220, 120);

    /// <summary>The view in ComfyUI's terms, rounded to well under a pixel so that the file stays readable.</summary>
    public static Viewport FromDiagram(Point pan, double zoom) =>
        new(Math.Round(pan.X / zoom, 3), Math.Round(pan.Y / zoom, 3), Math.Round(zoom, 6));

    /// <summary>The diagram's pan and zoom for <paramref name="viewport"/>, the zoom kept within the editor's limits.</summary>
    public static (Point Pan, double Zoom) ToDiagram(Viewport viewport, double minimumZoom, double maximumZoom)
    {
        var zoom = double.IsFinite(viewport.Zoom) && viewport.Zoom > 0 ? Math.Clamp(viewport.Zoom, minimumZoom, maximumZoom) : 1;
        var x = double.IsFinite(viewport.X) ? viewport.X : 0;
        var y = double.IsFinite(viewport.Y) ? viewport.Y : 0;
        return (new Point(x * zoom, y * zoom), zoom);
    }

    /// <summary>
    /// The view that shows every box (node or group, in canvas units) inside a container of <paramref name="width"/> ×
    /// <paramref name="height"/> pixels with <paramref name="margin"/> around, centred, never zoomed in past 1.
    /// </summary>
    public static (Point Pan, double Zoom) Fit(IEnumerable<(Point Position, Size? Size)> boxes, double width, double height, double margin, double minimumZoom)
    {
        double left = double.MaxValue, top = double.MaxValue, right = double.MinValue, bottom = double.MinValue;
        foreach (var (position, size) in boxes)
        {
            var measured = size is { Width: > 0, Height: > 0 } ? size : Unmeasured;
            left = Math.Min(left, position.X);
            top = Math.Min(top, position.Y);
            right = Math.Max(right, position.X + measured.Width);
            bottom = Math.Max(bottom, position.Y + measured.Height);
        }
        if (left > right || width <= 2 * margin || height <= 2 * margin)
        {
            return (new Point(0, 0), 1);
        }
        var zoom = Math.Clamp(Math.Min((width - (2 * margin)) / (right - left), (height - (2 * margin)) / (bottom - top)), minimumZoom, 1);
        var panX = ((width - ((right - left) * zoom)) / 2) - (left * zoom);
        var panY = ((height - ((bottom - top) * zoom)) / 2) - (top * zoom);
        return (new Point(panX, panY), zoom);
    }
}
