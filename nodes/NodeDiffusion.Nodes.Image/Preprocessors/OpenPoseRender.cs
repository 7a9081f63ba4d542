using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;

namespace NodeDiffusion.Nodes.Image.Preprocessors;

[NodeType("OpenPoseRender", Category = "image/preprocessors", DisplayName = "Render OpenPose",
    Description = "Draws OpenPose keypoint JSON (sd-webui-controlnet / controlnet_aux format) as the skeleton image an openpose ControlNet expects. One image per frame; every frame must have the first frame's canvas size.")]
public sealed class OpenPoseRender : Node<OpenPoseRender.In, OpenPoseRender.Out>
{
    public sealed record In(
        [Text(Multiline = true, Tooltip = "{\"people\": [{\"pose_keypoints_2d\": [x, y, c, …], …}], \"canvas_width\": W, \"canvas_height\": H}, or a list of those.")] string PoseKeypoint,
        [Boolean(true)] bool RenderBody,
        [Boolean(true)] bool RenderHand,
        [Boolean(true)] bool RenderFace);

    public sealed record Out(ImageBatch Image);

    public override ValueTask<Out> ExecuteAsync(In inputs, INodeContext context)
    {
        var frames = PoseFrame.Parse(inputs.PoseKeypoint, "pose_keypoint");
        var (width, height) = (frames[0].Width, frames[0].Height);
        if (frames.Any(f => f.Width != width || f.Height != height))
        {
            throw new NodeException($"All pose frames must share the first frame's {width}×{height} canvas.", "pose_keypoint");
        }
        var plane = width * height * 3;
        var pixels = new float[frames.Count * plane];
        for (var f = 0; f < frames.Count; f++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var canvas = Render(frames[f], inputs.RenderBody, inputs.RenderHand, inputs.RenderFace);
            for (var i = 0; i < plane; i++)
            {
                pixels[(f * plane) + i] = canvas.Pixels[i] / 255f;
            }
        }
        return ValueTask.FromResult(new Out(new ImageBatch(frames.Count, height, width, 3, pixels)));
    }

    public static PoseCanvas Render(PoseFrame frame, bool body = true, bool hands = true, bool face = true)
    {
        var canvas = new PoseCanvas(frame.Width, frame.Height);
        foreach (var person in frame.People)
        {
            if (body && person.Body is { } b)
            {
                OpenPoseDrawing.DrawBody(canvas, b);
            }
            if (hands)
            {
                if (person.LeftHand is { } left)
                {
                    OpenPoseDrawing.DrawHand(canvas, left);
                }
                if (person.RightHand is { } right)
                {
                    OpenPoseDrawing.DrawHand(canvas, right);
                }
            }
            if (face && person.Face is { } f)
            {
                OpenPoseDrawing.DrawFace(canvas, f);
            }
        }
        return canvas;
    }
}
