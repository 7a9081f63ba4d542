namespace NodeDiffusion.Nodes.Image.Preprocessors;

/// <summary>
/// The ControlNet OpenPose renderings (controlnet_aux / sd-webui-controlnet draw_bodypose, draw_handpose, draw_facepose):
/// 17 body limbs as filled ellipses of half-width 4 in 60 % of the 18 standard colours, then the 18 joints as radius-4 dots
/// in full colour; hand bones as 2-pixel lines coloured around the hue circle with blue joints; face points as white dots.
/// Keypoints are in pixels; null means missing.
/// </summary>
public static class OpenPoseDrawing
{
    public static readonly (byte R, byte G, byte B)[] Colors =
    [
        (255, 0, 0), (255, 85, 0), (255, 170, 0), (255, 255, 0), (170, 255, 0), (85, 255, 0), (0, 255, 0), (0, 255, 85), (0, 255, 170),
        (0, 255, 255), (0, 170, 255), (0, 85, 255), (0, 0, 255), (85, 0, 255), (170, 0, 255), (255, 0, 255), (255, 0, 170), (255, 0, 85),
    ];

    /// <summary>Limbs as (from, to) keypoint indices, 0-based, in drawing order (the i-th limb gets the i-th colour).</summary>
    public static readonly (int From, int To)[] Limbs =
    [
        (1, 2), (1, 5), (2, 3), (3, 4), (5, 6), (6, 7), (1, 8), (8, 9), (9, 10), (1, 11), (11, 12), (12, 13), (1, 0), (0, 14), (14, 16), (0, 15), (15, 17),
    ];

    private static readonly (int From, int To)[] HandBones =
    [
        (0, 1), (1, 2), (2, 3), (3, 4), (0, 5), (5, 6), (6, 7), (7, 8), (0, 9), (9, 10), (10, 11), (11, 12), (0, 13), (13, 14), (14, 15), (15, 16),
        (0, 17), (17, 18), (18, 19), (19, 20),
    ];

    private const double Eps = 0.01;

    public static (byte R, byte G, byte B) LimbColor(int limb)
    {
        var (r, g, b) = Colors[limb];
        return ((byte)(int)(r * 0.6), (byte)(int)(g * 0.6), (byte)(int)(b * 0.6));
    }

    public static void DrawBody(PoseCanvas canvas, IReadOnlyList<(double X, double Y)?> keypoints)
    {
        for (var i = 0; i < Limbs.Length; i++)
        {
            var (from, to) = Limbs[i];
            if (from >= keypoints.Count || to >= keypoints.Count || keypoints[from] is not { } a || keypoints[to] is not { } b)
            {
                continue;
            }
            var (meanX, meanY) = ((a.X + b.X) / 2, (a.Y + b.Y) / 2);
            var length = Math.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)));
            var angle = Math.Atan2(a.Y - b.Y, a.X - b.X) * 180 / Math.PI;
            canvas.FillEllipse((int)meanX, (int)meanY, (int)(length / 2), 4, (int)angle, LimbColor(i));
        }
        for (var i = 0; i < Math.Min(keypoints.Count, Colors.Length); i++)
        {
            if (keypoints[i] is { } k)
            {
                canvas.FillCircle((int)k.X, (int)k.Y, 4, Colors[i]);
            }
        }
    }

    public static void DrawHand(PoseCanvas canvas, IReadOnlyList<(double X, double Y)?> keypoints)
    {
        for (var i = 0; i < HandBones.Length; i++)
        {
            var (from, to) = HandBones[i];
            if (from >= keypoints.Count || to >= keypoints.Count || keypoints[from] is not { } a || keypoints[to] is not { } b)
            {
                continue;
            }
            var (x1, y1, x2, y2) = ((int)a.X, (int)a.Y, (int)b.X, (int)b.Y);
            if (x1 > Eps && y1 > Eps && x2 > Eps && y2 > Eps)
            {
                canvas.ThickLine(x1, y1, x2, y2, 2, Hue(i / (double)HandBones.Length));
            }
        }
        foreach (var keypoint in keypoints)
        {
            if (keypoint is { } k && (int)k.X > Eps && (int)k.Y > Eps)
            {
                canvas.FillCircle((int)k.X, (int)k.Y, 4, (0, 0, 255));
            }
        }
    }

    public static void DrawFace(PoseCanvas canvas, IReadOnlyList<(double X, double Y)?> keypoints)
    {
        foreach (var keypoint in keypoints)
        {
            if (keypoint is { } k && (int)k.X > Eps && (int)k.Y > Eps)
            {
                canvas.FillCircle((int)k.X, (int)k.Y, 3, (255, 255, 255));
            }
        }
    }

    /// <summary>matplotlib's hsv_to_rgb([h, 1, 1]) × 255, rounded as OpenCV saturates a float colour.</summary>
    private static (byte R, byte G, byte B) Hue(double h)
    {
        var sector = (int)(h * 6) % 6;
        var f = (h * 6) - (int)(h * 6);
        var (r, g, b) = sector switch
        {
            0 => (1.0, f, 0.0),
            1 => (1 - f, 1.0, 0.0),
            2 => (0.0, 1.0, f),
            3 => (0.0, 1 - f, 1.0),
            4 => (f, 0.0, 1.0),
            _ => (1.0, 0.0, 1 - f),
        };
        static byte Byte(double v) => (byte)Math.Round(v * 255, MidpointRounding.ToEven);
        return (Byte(r), Byte(g), Byte(b));
    }
}
