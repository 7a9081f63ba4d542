namespace NodeDiffusion.Nodes.Image.Preprocessors;

/// <summary>
/// An 8-bit RGB canvas with the few OpenCV rasterisers the ControlNet pose renderers use: filled circles (OpenCV's integer
/// midpoint algorithm), ellipse2Poly + fillConvexPoly (outline included, as OpenCV draws the edges before filling), and
/// thick lines (approximated as all pixels within half the thickness of the segment).
/// </summary>
public sealed class PoseCanvas(int width, int height)
{
    public int Width { get; } = width;
    public int Height { get; } = height;
    public byte[] Pixels { get; } = new byte[width * height * 3];

    public void FillCircle(int cx, int cy, int radius, (byte R, byte G, byte B) color)
    {
        int err = 0, dx = radius, dy = 0, plus = 1, minus = (radius << 1) - 1;
        while (dx >= dy)
        {
            Span(cy + dy, cx - dx, cx + dx, color);
            Span(cy - dy, cx - dx, cx + dx, color);
            Span(cy + dx, cx - dy, cx + dy, color);
            Span(cy - dx, cx - dy, cx + dy, color);
            dy++;
            err += plus;
            plus += 2;
            var mask = (err <= 0 ? 1 : 0) - 1;
            err -= minus & mask;
            dx += mask;
            minus -= mask & 2;
        }
    }

    /// <summary>cv2.ellipse2Poly(center, axes, angle, 0, 360, 1) filled with cv2.fillConvexPoly.</summary>
    public void FillEllipse(int cx, int cy, int semiMajor, int semiMinor, int angleDegrees, (byte R, byte G, byte B) color)
    {
        while (angleDegrees < 0)
        {
            angleDegrees += 360;
        }
        while (angleDegrees > 360)
        {
            angleDegrees -= 360;
        }
        var (alpha, beta) = ((float)Math.Cos(angleDegrees * Math.PI / 180), (float)Math.Sin(angleDegrees * Math.PI / 180));
        var points = new List<(int X, int Y)>(361);
        for (var i = 0; i <= 360; i++)
        {
            var x = semiMajor * (double)(float)Math.Cos(i * Math.PI / 180);
            var y = semiMinor * (double)(float)Math.Sin(i * Math.PI / 180);
            var point = ((int)Math.Round(cx + (x * alpha) - (y * beta), MidpointRounding.ToEven), (int)Math.Round(cy + (x * beta) + (y * alpha), MidpointRounding.ToEven));
            if (points.Count == 0 || points[^1] != point)
            {
                points.Add(point);
            }
        }
        FillConvexPolygon(points, color);
    }

    /// <summary>A line of the given thickness with round ends.</summary>
    public void ThickLine(int x1, int y1, int x2, int y2, int thickness, (byte R, byte G, byte B) color)
    {
        var half = thickness / 2.0;
        var (minX, maxX) = ((int)Math.Floor(Math.Min(x1, x2) - half), (int)Math.Ceiling(Math.Max(x1, x2) + half));
        var (minY, maxY) = ((int)Math.Floor(Math.Min(y1, y2) - half), (int)Math.Ceiling(Math.Max(y1, y2) + half));
        var (dx, dy) = ((double)(x2 - x1), (double)(y2 - y1));
        var lengthSquared = (dx * dx) + (dy * dy);
        for (var y = Math.Max(minY, 0); y <= Math.Min(maxY, Height - 1); y++)
        {
            for (var x = Math.Max(minX, 0); x <= Math.Min(maxX, Width - 1); x++)
            {
                var t = lengthSquared == 0 ? 0 : Math.Clamp((((x - x1) * dx) + ((y - y1) * dy)) / lengthSquared, 0, 1);
                var (px, py) = (x1 + (t * dx) - x, y1 + (t * dy) - y);
                if ((px * px) + (py * py) <= half * half)
                {
                    Set(x, y, color);
                }
            }
        }
    }

    private void FillConvexPolygon(List<(int X, int Y)> points, (byte R, byte G, byte B) color)
    {
        var (top, bottom) = (points.Min(p => p.Y), points.Max(p => p.Y));
        for (var y = Math.Max(top, 0); y <= Math.Min(bottom, Height - 1); y++)
        {
            var (left, right) = (double.MaxValue, double.MinValue);
            for (var i = 0; i < points.Count; i++)
            {
                var (a, b) = (points[i], points[(i + 1) % points.Count]);
                if ((y < Math.Min(a.Y, b.Y)) || (y > Math.Max(a.Y, b.Y)))
                {
                    continue;
                }
                if (a.Y == b.Y)
                {
                    (left, right) = (Math.Min(left, Math.Min(a.X, b.X)), Math.Max(right, Math.Max(a.X, b.X)));
                    continue;
                }
                var x = a.X + ((double)(y - a.Y) * (b.X - a.X) / (b.Y - a.Y));
                (left, right) = (Math.Min(left, x), Math.Max(right, x));
            }
            if (left <= right)
            {
                Span(y, (int)Math.Ceiling(left - 0.5), (int)Math.Floor(right + 0.5), color);
            }
        }
    }

    private void Span(int y, int fromX, int toX, (byte R, byte G, byte B) color)
    {
        if (y < 0 || y >= Height)
        {
            return;
        }
        for (var x = Math.Max(fromX, 0); x <= Math.Min(toX, Width - 1); x++)
        {
            Set(x, y, color);
        }
    }

    private void Set(int x, int y, (byte R, byte G, byte B) color)
    {
        var at = ((y * Width) + x) * 3;
        (Pixels[at], Pixels[at + 1], Pixels[at + 2]) = color;
    }
}
