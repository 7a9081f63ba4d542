using NodeDiffusion.Graph.Nodes;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NodeDiffusion.Server.Tests.Infrastructure;

/// <summary>An output node that takes a while: it reports progress and a PNG preview at every step.</summary>
[NodeType("TestSlowSteps", Category = "testing", DisplayName = "Slow Steps", IsOutput = true, NotIdempotent = true,
    Description = "Counts steps slowly, with progress and previews (test only).")]
public sealed class TestSlowSteps : Node<TestSlowSteps.In, NoOutputs>
{
    public sealed record In([Int(5, Min = 1, Max = 1000)] long Steps, [Int(20, Min = 0, Max = 10_000)] long DelayMs);

    public override async ValueTask<NoOutputs> ExecuteAsync(In inputs, INodeContext context)
    {
        for (var step = 1; step <= inputs.Steps; step++)
        {
            await Task.Delay((int)inputs.DelayMs, context.CancellationToken);
            context.ReportProgress(step, (int)inputs.Steps);
            context.Preview(new PreviewFrame(Png(step), "image/png", 8, 8, step));
        }
        context.AddUiOutput("text", new UiItem(Text: $"{inputs.Steps} steps"));
        return NoOutputs.Instance;
    }

    private static byte[] Png(int step)
    {
        using var image = new Image<Rgb24>(8, 8, new Rgb24((byte)(step * 10), 100, 200));
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }
}

/// <summary>An output node that always fails with a user-facing message.</summary>
[NodeType("TestFail", Category = "testing", DisplayName = "Fail", IsOutput = true, NotIdempotent = true,
    Description = "Always fails (test only).")]
public sealed class TestFail : Node<TestFail.In, NoOutputs>
{
    public sealed record In([Text("boom")] string Message);

    public override ValueTask<NoOutputs> ExecuteAsync(In inputs, INodeContext context) =>
        throw new NodeException(inputs.Message, "message");
}
