using System.Text.Json;
using NodeDiffusion.Engine;
using NodeDiffusion.Graph.Nodes;
using NodeDiffusion.Graph.Values;
using NodeDiffusion.Graph.Workflows;
using NodeDiffusion.Nodes.Image.Imaging;
using NodeDiffusion.Testing;
using NodeDiffusion.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NodeDiffusion.Tests.Nodes;

public sealed class ImageNodeTests : IDisposable
{
    private readonly TestHost _host = new();

    public void Dispose() => _host.Dispose();

    private void WriteInputPng(string name, Rgba32 color, int width = 4, int height = 3)
    {
        using var image = new Image<Rgba32>(width, height, color);
        image.SaveAsPng(Path.Combine(_host.Roots.Input, name));
    }

    [Fact]
    public void DecodesPixelsAndTurnsAlphaIntoTheMask()
    {
        WriteInputPng("half.png", new Rgba32(255, 0, 51, 64));
        var (image, mask) = ImageCodec.Decode(Path.Combine(_host.Roots.Input, "half.png"), "half.png");
        Assert.Equal((1, 3, 4, 3), (image.Batch, image.Height, image.Width, image.Channels));
        Assert.Equal([1f, 0f, 0.2f], image.Pixels[..3], new FloatTolerance(1e-6f));
        Assert.Equal((1, 3, 4), (mask.Batch, mask.Height, mask.Width));
        Assert.Equal(1f - (64f / 255f), mask.Values[0], 1e-6f);
    }

    [Fact]
    public void AnOpaqueImageGetsComfyUisEmptyMask()
    {
        WriteInputPng("opaque.png", new Rgba32(10, 20, 30, 255));
        var (_, mask) = ImageCodec.Decode(Path.Combine(_host.Roots.Input, "opaque.png"), "opaque.png");
        Assert.Equal((1, 64, 64), (mask.Batch, mask.Height, mask.Width));
        Assert.All(mask.Values, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ImagesOverThePixelLimitAreRefusedBeforeDecoding()
    {
        // A valid PNG signature and IHDR claiming 20000×20000 pixels, and nothing else.
        var header = new byte[] { 137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 0, 0, 0x4E, 0x20, 0, 0, 0x4E, 0x20, 8, 2, 0, 0, 0, 0, 0, 0, 0 };
        var crc = Crc32(header.AsSpan(12, 17));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(29), crc);
        var path = Path.Combine(_host.Roots.Input, "bomb.png");
        File.WriteAllBytes(path, header);
        var error = Assert.Throws<NodeException>(() => ImageCodec.Decode(path, "bomb.png"));
        Assert.Contains("20000×20000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NotAnImageIsAClearError()
    {
        var path = Path.Combine(_host.Roots.Input, "fake.png");
        File.WriteAllText(path, "hello");
        var error = Assert.Throws<NodeException>(() => ImageCodec.Decode(path, "fake.png"));
        Assert.Contains("fake.png", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplacingTheInputFileRerunsLoadImage()
    {
        WriteInputPng("cat.png", new Rgba32(0, 0, 0, 255));
        var graph = new GraphBuilder()
            .Node("1", "LoadImage", new { image = "cat.png" })
            .Node("2", "ImageInvert", null, ("image", "1", 0))
            .Node("3", "PreviewImage", null, ("images", "2", 0));
        var first = await _host.RunAsync(graph.Workflow);
        Assert.Equal(ExecutionStatus.Success, first.Status);
        var same = await _host.RunAsync(graph.Workflow);
        Assert.Contains(same.Nodes, n => n.NodeId == "1" && n.Status == NodeRunStatus.Cached);
        WriteInputPng("cat.png", new Rgba32(255, 255, 255, 255));
        var changed = await _host.RunAsync(graph.Workflow);
        Assert.Contains(changed.Nodes, n => n.NodeId == "1" && n.Status == NodeRunStatus.Executed);
    }

    [Fact]
    public async Task SaveImageNumbersFilesAndEmbedsTheWorkflow()
    {
        File.WriteAllBytes(Path.Combine(_host.Roots.Output, "shot_00007_.png"), [0]);
        var graph = new GraphBuilder()
            .Node("1", "EmptyImage", new { width = 16, height = 8, batch_size = 2, color = 0xFF0000 })
            .Node("2", "SaveImage", new { filename_prefix = "shot" }, ("images", "1", 0));
        var native = WorkflowJson.Serialize(graph.Workflow, indented: false);
        var validation = _host.Validator.Validate(graph.Workflow);
        var result = await _host.Executor.RunAsync("p", validation.Workflow!, new NodeDiffusion.Engine.Events.EventFanOut(), new WorkflowSnapshot(native, "{\"1\":{}}", "{\"nodes\":[]}"));
        var files = result.Nodes.Single(n => n.NodeId == "2").Ui.Items["images"];
        Assert.Equal(["shot_00008_.png", "shot_00009_.png"], files.Select(f => f.Filename));
        Assert.All(files, f => Assert.Equal("output", f.Type));
        var chunks = PngTextChunks.Read(Path.Combine(_host.Roots.Output, "shot_00008_.png"));
        Assert.Equal(native, chunks["nodediffusion"]);
        Assert.Equal("{\"1\":{}}", chunks["prompt"]);
        Assert.Equal("{\"nodes\":[]}", chunks["workflow"]);
        using var saved = Image.Load<Rgb24>(Path.Combine(_host.Roots.Output, "shot_00009_.png"));
        Assert.Equal((16, 8, new Rgb24(255, 0, 0)), (saved.Width, saved.Height, saved[0, 0]));
    }

    [Fact]
    public async Task SaveImagePrefixesCannotLeaveTheOutputFolder()
    {
        var result = await _host.RunAsync(new GraphBuilder()
            .Node("1", "EmptyImage", new { width = 8, height = 8 })
            .Node("2", "SaveImage", new { filename_prefix = "../escape" }, ("images", "1", 0)).Workflow);
        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("filename_prefix", result.Error!.InputName);
        Assert.False(File.Exists(Path.Combine(_host.Directory.Path, "escape_00001_.png")));
    }

    [Fact]
    public async Task SubfoldersInThePrefixAreCreatedAndReported()
    {
        var result = await _host.RunAsync(new GraphBuilder()
            .Node("1", "EmptyImage", new { width = 8, height = 8 })
            .Node("2", "SaveImage", new { filename_prefix = "day/%width%x%height%" }, ("images", "1", 0)).Workflow);
        var file = Assert.Single(result.Nodes.Single(n => n.NodeId == "2").Ui.Items["images"]);
        Assert.Equal(("8x8_00001_.png", "day"), (file.Filename, file.Subfolder));
        Assert.True(File.Exists(Path.Combine(_host.Roots.Output, "day", "8x8_00001_.png")));
    }

    [Fact]
    public async Task ScaleInvertAndBlendComputeWhatTheyShould()
    {
        var graph = new GraphBuilder()
            .Node("1", "EmptyImage", new { width = 40, height = 20, color = 0x336699 })
            .Node("2", "ImageScale", new { upscale_method = "nearest-exact", width = 20, height = 0, crop = "disabled" }, ("image", "1", 0))
            .Node("3", "ImageInvert", null, ("image", "2", 0))
            .Node("4", "EmptyImage", new { width = 7, height = 7, color = 0xFFFFFF })
            .Node("5", "ImageBlend", new { blend_factor = 0.5, blend_mode = "multiply" }, ("image1", "3", 0), ("image2", "4", 0))
            .Node("6", "Capture", null, ("image", "5", 0));
        _host.Registry.Add(typeof(Capture));
        await _host.RunAsync(graph.Workflow);
        var image = Capture.Last!;
        Assert.Equal((10, 20), (image.Height, image.Width));
        // multiply by white is identity, so the blend keeps the inverted colour.
        Assert.Equal(1 - (0x33 / 255f), image.Pixels[0], 1e-5f);
        Assert.Equal(1 - (0x99 / 255f), image.Pixels[2], 1e-5f);
    }

    [NodeType("Capture", Category = "test", IsOutput = true)]
    public sealed class Capture : Node<Capture.In, NoOutputs>
    {
        public static ImageBatch? Last { get; private set; }

        public sealed record In(ImageBatch Image);

        public override ValueTask<NoOutputs> ExecuteAsync(In inputs, INodeContext context)
        {
            Last = inputs.Image;
            return ValueTask.FromResult(NoOutputs.Instance);
        }
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}

public sealed class LoadImageMaskTests : IDisposable
{
    private readonly TestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task ChannelsBecomeMasksAndAlphaIsInverted()
    {
        using (var image = new Image<Rgba32>(5, 4, new Rgba32(255, 51, 0, 64)))
        {
            image.SaveAsPng(Path.Combine(_host.Roots.Input, "m.png"));
        }
        using (var opaque = new Image<Rgba32>(5, 4, new Rgba32(1, 2, 3, 255)))
        {
            opaque.SaveAsPng(Path.Combine(_host.Roots.Input, "opaque.png"));
        }
        var services = new NodeServices().Add(_host.Roots);
        var context = new BareNodeContext(services);
        async Task<MaskBatch> Load(string name, string channel) =>
            (await new NodeDiffusion.Nodes.Image.Loading.LoadImageMask().ExecuteAsync(new(name, channel), context)).Mask;

        var alpha = await Load("m.png", "alpha");
        Assert.Equal((1, 4, 5), (alpha.Batch, alpha.Height, alpha.Width));
        Assert.All(alpha.Values, v => Assert.Equal(1f - (64f / 255f), v, 1e-6f));
        Assert.All((await Load("m.png", "green")).Values, v => Assert.Equal(0.2f, v, 1e-6f));
        var opaqueAlpha = await Load("opaque.png", "alpha");
        Assert.Equal((4, 5), (opaqueAlpha.Height, opaqueAlpha.Width));
        Assert.All(opaqueAlpha.Values, v => Assert.Equal(0f, v));
        var error = await Assert.ThrowsAsync<NodeException>(async () => await Load("../escape.png", "red"));
        Assert.Equal("image", error.InputName);
    }
}
