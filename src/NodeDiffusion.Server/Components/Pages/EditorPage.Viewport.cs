using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Server.Editor;

namespace NodeDiffusion.Server.Components.Pages;

/// <summary>
/// Pan and zoom: a loaded workflow shows the view it was saved with, or all of its nodes when it has none. The view is
/// autosaved shortly after it stops changing, but it is no undo step (as in ComfyUI), so undo never moves the view.
/// </summary>
public sealed partial class EditorPage
{
    private const double FitMargin = 40;
    private static readonly TimeSpan ViewSaveDelay = TimeSpan.FromMilliseconds(400);

    private bool _fitPending;
    private bool _showingView;
    private int _viewChanges;

    private void InitViewport()
    {
        _diagram.PanChanged += OnViewChanged;
        _diagram.ZoomChanged += OnViewChanged;
        _diagram.ContainerChanged += OnContainerChanged;
    }

    private Viewport CurrentViewport() => ViewportMapping.FromDiagram(_diagram.Pan, _diagram.Zoom);

    /// <summary>Shows a loaded workflow's view; without one, fits its nodes once the canvas has a size.</summary>
    private void ShowView(Viewport? viewport)
    {
        _showingView = true;
        try
        {
            _fitPending = false;
            if (viewport is not null)
            {
                var (pan, zoom) = ViewportMapping.ToDiagram(viewport, _diagram.Options.Zoom.Minimum, _diagram.Options.Zoom.Maximum);
                SetView(pan.X, pan.Y, zoom);
            }
            else if (!FitToNodes())
            {
                _fitPending = true;
            }
        }
        finally
        {
            _showingView = false;
        }
    }

    private bool FitToNodes()
    {
        if (_diagram.Container is not { Width: > 0, Height: > 0 } container)
        {
            return false;
        }
        var boxes = _diagram.Nodes.Select(n => (n.Position, n.Size));
        var (pan, zoom) = ViewportMapping.Fit(boxes, container.Width, container.Height, FitMargin, _diagram.Options.Zoom.Minimum);
        SetView(pan.X, pan.Y, zoom);
        return true;
    }

    // Each change re-renders the whole canvas, so an unchanged view is left alone.
    private void SetView(double panX, double panY, double zoom)
    {
        if (_diagram.Zoom != zoom)
        {
            _diagram.SetZoom(zoom);
        }
        if (_diagram.Pan.X != panX || _diagram.Pan.Y != panY)
        {
            _diagram.SetPan(panX, panY);
        }
    }

    private void OnContainerChanged()
    {
        if (_fitPending && FitToNodes())
        {
            _fitPending = false;
            OnViewChanged();
        }
    }

    private void OnViewChanged()
    {
        if (_applying || _showingView)
        {
            return;
        }
        _ = SaveViewSoonAsync(Interlocked.Increment(ref _viewChanges));
    }

    // Pans and zooms come many times a second: save once the view has rested.
    private async Task SaveViewSoonAsync(int change)
    {
        await Task.Delay(ViewSaveDelay);
        if (change == Volatile.Read(ref _viewChanges))
        {
            await InvokeAsync(() => AutosaveAsync(WorkflowJson.Serialize(CurrentWorkflow(), indented: false)));
        }
    }
}
