using System.Text.Json;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Nodes.Image.Imaging;

namespace NodeDiffusion.Nodes.Image.Preprocessors;

/// <summary>One person of a POSE_KEYPOINT frame, keypoints in pixels (null = missing).</summary>
public sealed record PosePerson(
    IReadOnlyList<(double X, double Y)?>? Body,
    IReadOnlyList<(double X, double Y)?>? LeftHand,
    IReadOnlyList<(double X, double Y)?>? RightHand,
    IReadOnlyList<(double X, double Y)?>? Face);

/// <summary>One canvas of the OpenPose JSON that sd-webui-controlnet and comfyui_controlnet_aux exchange.</summary>
public sealed record PoseFrame(int Width, int Height, IReadOnlyList<PosePerson> People)
{
    private const int MaxTextLength = 8 * 1024 * 1024;
    private const int MaxPeople = 1000;

    /// <summary>
    /// Parses one frame object (<c>{"people": [...], "canvas_width", "canvas_height"}</c>) or a list of them. Each keypoint list is
    /// flat x, y, confidence triples; as in their decoders a confidence below 1 marks the point missing. Coordinates all within
    /// [0, 1] are taken as fractions of the canvas, otherwise as pixels.
    /// </summary>
    public static IReadOnlyList<PoseFrame> Parse(string json, string input)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new NodeException("The pose keypoint JSON is empty.", input);
        }
        if (json.Length > MaxTextLength)
        {
            throw new NodeException($"The pose keypoint JSON is {json.Length:N0} characters; at most {MaxTextLength:N0} are accepted.", input);
        }
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            var root = document.RootElement;
            var frames = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().Select(f => ParseFrame(f, input)).ToList() : [ParseFrame(root, input)];
            if (frames.Count == 0)
            {
                throw new NodeException("The pose keypoint JSON holds no frame.", input);
            }
            return frames;
        }
        catch (JsonException error)
        {
            throw new NodeException($"The pose keypoint JSON is not valid JSON: {error.Message}", input);
        }
    }

    private static PoseFrame ParseFrame(JsonElement frame, string input)
    {
        if (frame.ValueKind != JsonValueKind.Object)
        {
            throw new NodeException("Each pose frame must be an object with \"people\", \"canvas_width\" and \"canvas_height\".", input);
        }
        var width = Size(frame, "canvas_width", input);
        var height = Size(frame, "canvas_height", input);
        ImageCodec.CheckSize(width, height, "the pose canvas");
        var people = new List<PosePerson>();
        if (frame.TryGetProperty("people", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var person in list.EnumerateArray())
            {
                if (people.Count == MaxPeople)
                {
                    throw new NodeException($"The pose frame has more than {MaxPeople} people.", input);
                }
                people.Add(new PosePerson(
                    Points(person, "pose_keypoints_2d", input), Points(person, "hand_left_keypoints_2d", input),
                    Points(person, "hand_right_keypoints_2d", input), Points(person, "face_keypoints_2d", input)));
            }
        }
        var present = people.SelectMany(p => new[] { p.Body, p.LeftHand, p.RightHand, p.Face }).Where(l => l is not null).SelectMany(l => l!)
            .OfType<(double X, double Y)>().ToList();
        if (present.Count > 0 && present.All(p => p.X is >= 0 and <= 1 && p.Y is >= 0 and <= 1))
        {
            people = people.Select(p => new PosePerson(Scale(p.Body, width, height), Scale(p.LeftHand, width, height), Scale(p.RightHand, width, height), Scale(p.Face, width, height))).ToList();
        }
        return new PoseFrame(width, height, people);
    }

    private static int Size(JsonElement frame, string name, string input)
    {
        if (!frame.TryGetProperty(name, out var value) || !value.TryGetDouble(out var size) || size < 1 || size > ImageLimits.MaxSide)
        {
            throw new NodeException($"The pose frame needs \"{name}\" as a whole number of pixels from 1 to {ImageLimits.MaxSide}.", input);
        }
        return (int)size;
    }

    private static List<(double X, double Y)?>? Points(JsonElement person, string name, string input)
    {
        if (!person.TryGetProperty(name, out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            return null;
        }
        var numbers = list.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN).ToArray();
        if (numbers.Length % 3 != 0 || numbers.Any(v => !double.IsFinite(v)))
        {
            throw new NodeException($"\"{name}\" must be a flat list of numbers in x, y, confidence triples ({numbers.Length} values found).", input);
        }
        return Enumerable.Range(0, numbers.Length / 3)
            .Select(i => numbers[(3 * i) + 2] < 1.0 ? null : ((double X, double Y)?)(numbers[3 * i], numbers[(3 * i) + 1]))
            .ToList();
    }

    private static List<(double X, double Y)?>? Scale(IReadOnlyList<(double X, double Y)?>? points, int width, int height) =>
        points?.Select(p => p is { } q ? ((double X, double Y)?)(q.X * width, q.Y * height) : null).ToList();
}
