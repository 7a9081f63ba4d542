using Blazor.Diagrams.Core.Geometry;

namespace NodeDiffusion.Server.Editor;

/// <summary>A drag of a group's resize corner: the size it started from, where the pointer went down, and the zoom then.</summary>
public sealed record GroupResize(Size Start, Point Pointer, double Zoom)
{
    /// <summary>The size for the pointer at (<paramref name="clientX"/>, <paramref name="clientY"/>), screen pixels turned into canvas units.</summary>
    public Size SizeAt(double clientX, double clientY) =>
        new(Start.Width + ((clientX - Pointer.X) / Zoom), Start.Height + ((clientY - Pointer.Y) / Zoom));
}
