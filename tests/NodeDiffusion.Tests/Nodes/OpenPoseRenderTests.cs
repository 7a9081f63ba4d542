using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Image.Preprocessors;
using NodeDiffusion.Testing;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NodeDiffusion.Tests.Nodes;

/// <summary>
/// OpenPose rendering against sd-webui-controlnet's expected openpose output for ski.jpg (../shared/real-data/controlnet).
/// The keypoints behind that image are not published, so they are read back from it: each joint is a radius-4 dot in its own
/// full-strength colour, whose centre is the truncated keypoint. Re-rendering from those points must reproduce every colour class
/// (17 limbs in 60 % colour, 18 joints): joints exactly (IoU 1 measured), every class IoU ≥ 0.6 and ≥ 0.9 on average, and each
/// limb's pixel count within 20 % (measured: equal for 12 of 15 limbs). The points are only known to ±1 pixel, which moves the
/// truncated limb centre by a pixel, so short limbs (9 pixels wide, partly under the joint dots) lose IoU while keeping their shape.
/// </summary>
public sealed class OpenPoseRenderTests(ITestOutputHelper output)
{
    [Fact]
    public void BodyRenderingMatchesSdWebuiControlnetsSkiOutput()
    {
        using var expectedImage = Image.Load<Rgb24>(SharedData.Require("real-data/controlnet/sdwebuicn_expected_ski_output.png"));
        var (width, height) = (expectedImage.Width, expectedImage.Height);
        var expected = new byte[width * height * 3];
        expectedImage.CopyPixelDataTo(expected);

        var keypoints = new (double X, double Y)?[18];
        for (var k = 0; k < 18; k++)
        {
            var pixels = Pixels(expected, OpenPoseDrawing.Colors[k], width).ToList();
            if (pixels.Count > 0)
            {
                // The bounding-box centre survives partial cover by later dots better than the centroid.
                keypoints[k] = ((pixels.Min(p => p.X) + pixels.Max(p => p.X)) / 2.0 + 0.5, (pixels.Min(p => p.Y) + pixels.Max(p => p.Y)) / 2.0 + 0.5);
            }
        }
        Assert.True(keypoints.Count(k => k is not null) >= 12, "the reference should show most joints");

        var canvas = new PoseCanvas(width, height);
        OpenPoseDrawing.DrawBody(canvas, keypoints);

        var ious = new List<(string Class, double Iou, int Ours, int Theirs)>();
        for (var limb = 0; limb < OpenPoseDrawing.Limbs.Length; limb++)
        {
            AddIou(ious, $"limb {limb}", OpenPoseDrawing.LimbColor(limb), canvas.Pixels, expected, width);
        }
        for (var k = 0; k < 18; k++)
        {
            AddIou(ious, $"joint {k}", OpenPoseDrawing.Colors[k], canvas.Pixels, expected, width);
        }
        foreach (var (name, iou, ours, theirs) in ious)
        {
            output.WriteLine($"{name}: IoU {iou:F3}, {ours} pixels, reference {theirs}");
        }
        var mean = ious.Average(i => i.Iou);
        output.WriteLine($"mean IoU {mean:F4} over {ious.Count} colour classes");
        Assert.True(ious.Count >= 25, $"only {ious.Count} colour classes drawn");
        Assert.All(ious, i => Assert.True(i.Iou >= 0.6 && (!i.Class.StartsWith("joint", StringComparison.Ordinal) || i.Iou == 1), $"{i.Class}: IoU {i.Iou:F3}"));
        Assert.All(ious, i => Assert.True(Math.Abs(i.Ours - i.Theirs) <= Math.Max(2, 0.2 * i.Theirs), $"{i.Class}: {i.Ours} pixels, reference {i.Theirs}"));
        Assert.True(mean >= 0.9, $"mean IoU {mean:F3}");
        // Nothing outside the 35 colour classes and black.
        var stray = 0;
        for (var i = 0; i < canvas.Pixels.Length; i += 3)
        {
            var color = (canvas.Pixels[i], canvas.Pixels[i + 1], canvas.Pixels[i + 2]);
            stray += color == (0, 0, 0) || OpenPoseDrawing.Colors.Contains(color) || Enumerable.Range(0, 17).Any(l => OpenPoseDrawing.LimbColor(l) == color) ? 0 : 1;
        }
        Assert.Equal(0, stray);
    }

    [Fact]
    public void PoseJsonWithHandsRendersJointsAtTheirKeypoints()
    {
        var json = File.ReadAllText(SharedData.Require("real-data/controlnet/sdwebuicn_pose.json"));
        var frame = Assert.Single(PoseFrame.Parse(json, "pose_keypoint"));
        Assert.Equal((512, 512), (frame.Width, frame.Height));
        var person = Assert.Single(frame.People);
        Assert.Equal(18, person.Body!.Count);
        Assert.Equal(21, person.RightHand!.Count);
        Assert.Equal(4, person.Body.Count(k => k is null)); // the zero-confidence triples

        var bodyOnly = OpenPoseRender.Render(frame, hands: false, face: false);
        var withHands = OpenPoseRender.Render(frame);
        for (var k = 0; k < 18; k++)
        {
            if (person.Body[k] is { } p && p.X < 508 && p.Y < 508) // pose.json has points below its 512² canvas
            {
                // Joint dots are drawn last, in full colour (a later dot may cover part of an earlier one).
                var near = Pixels(bodyOnly.Pixels, OpenPoseDrawing.Colors[k], 512).Where(q => Math.Abs(q.X - (int)p.X) <= 4 && Math.Abs(q.Y - (int)p.Y) <= 4).Count();
                Assert.True(near > 0, $"joint {k} not drawn at ({p.X:F0}, {p.Y:F0})");
            }
        }
        foreach (var hand in new[] { person.LeftHand!, person.RightHand! })
        {
            foreach (var point in hand.OfType<(double X, double Y)>())
            {
                var at = (((int)point.Y * 512) + (int)point.X) * 3;
                Assert.Equal((0, 0, 255), (withHands.Pixels[at], withHands.Pixels[at + 1], withHands.Pixels[at + 2]));
            }
        }
        // The first hand bone is red in hue order, and present only with hands on.
        Assert.Contains(Pixels(withHands.Pixels, (255, 0, 0), 512), _ => true);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{\"people\": []}", "canvas_width")]
    [InlineData("{\"people\": [{\"pose_keypoints_2d\": [1, 2]}], \"canvas_width\": 64, \"canvas_height\": 64}", "triples")]
    [InlineData("{\"canvas_width\": 99999, \"canvas_height\": 64}", "canvas_width")]
    [InlineData("[1, 2", "not valid JSON")]
    public void BadJsonIsAClearError(string json, string expected)
    {
        var error = Assert.Throws<NodeException>(() => PoseFrame.Parse(json, "pose_keypoint"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NormalisedCoordinatesAreScaledToTheCanvas()
    {
        var frame = Assert.Single(PoseFrame.Parse("{\"people\": [{\"pose_keypoints_2d\": [0.5, 0.25, 1]}], \"canvas_width\": 200, \"canvas_height\": 100}", "p"));
        Assert.Equal((100.0, 25.0), frame.People[0].Body![0]);
    }

    private static IEnumerable<(int X, int Y)> Pixels(byte[] rgb, (byte R, byte G, byte B) color, int width)
    {
        for (var i = 0; i < rgb.Length; i += 3)
        {
            if ((rgb[i], rgb[i + 1], rgb[i + 2]) == color)
            {
                yield return (i / 3 % width, i / 3 / width);
            }
        }
    }

    private static void AddIou(List<(string, double, int, int)> ious, string name, (byte R, byte G, byte B) color, byte[] ours, byte[] theirs, int width)
    {
        var a = Pixels(ours, color, width).ToHashSet();
        var b = Pixels(theirs, color, width).ToHashSet();
        if (a.Count == 0 && b.Count == 0)
        {
            return;
        }
        var union = a.Union(b).Count();
        ious.Add((name, a.Intersect(b).Count() / (double)union, a.Count, b.Count));
    }
}
