using System.Buffers.Binary;
using System.Text;
using NodeDiffusion.Interop.Import;
using NodeDiffusion.Interop.Metadata;
using NodeDiffusion.Interop.Tests.TestNodes;
using NodeDiffusion.Testing;

namespace NodeDiffusion.Interop.Tests;

public sealed class ExifTests
{
    private const string Prompt = """{"1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "webp.safetensors"}}}""";
    private const string Workflow = """{"nodes": [{"id": 1, "type": "CheckpointLoaderSimple", "mode": 0, "widgets_values": ["webp-ui.safetensors"]}], "links": [], "version": 0.4}""";

    /// <summary>A little-endian TIFF block with ASCII tags in IFD0, as PIL writes ComfyUI's WebP EXIF.</summary>
    private static byte[] Tiff(params (ushort Tag, string Text)[] tags)
    {
        var values = tags.Select(t => Encoding.UTF8.GetBytes(t.Text + "\0")).ToList();
        var ifdSize = 2 + tags.Length * 12 + 4;
        var data = new byte[8 + ifdSize + values.Sum(v => v.Length)];
        "II"u8.CopyTo(data);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2), 42);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(8), (ushort)tags.Length);
        var valueOffset = 8 + ifdSize;
        for (var i = 0; i < tags.Length; i++)
        {
            var entry = data.AsSpan(10 + i * 12);
            BinaryPrimitives.WriteUInt16LittleEndian(entry, tags[i].Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], 2);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], (uint)values[i].Length);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], (uint)valueOffset);
            values[i].CopyTo(data, valueOffset);
            valueOffset += values[i].Length;
        }
        return data;
    }

    private static byte[] Webp(byte[] exif)
    {
        using var output = new MemoryStream();
        output.Write("RIFF"u8);
        output.Write(new byte[4]);
        output.Write("WEBP"u8);
        foreach (var (type, body) in new[] { ("VP8L", new byte[] { 0x2F, 0, 0, 0, 0 }), ("EXIF", exif) })
        {
            output.Write(Encoding.ASCII.GetBytes(type));
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)body.Length);
            output.Write(length);
            output.Write(body);
            if (body.Length % 2 == 1)
            {
                output.WriteByte(0);
            }
        }
        var bytes = output.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return bytes;
    }

    [Fact]
    public void Comfyui_webp_exif_tags_give_the_workflow_first()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("anim.webp");
        File.WriteAllBytes(path, Webp(Tiff((0x0110, "prompt:" + Prompt), (0x010F, "workflow:" + Workflow))));

        var result = new WorkflowFileOpener(TestRegistry.Options).Open(path);

        Assert.Equal(ComfyFormat.UiWorkflow, result.Format);
        Assert.Equal("webp-ui.safetensors", result.Workflow.Nodes["1"].Inputs["ckpt_name"].GetString());
    }

    [Fact]
    public void Exif_offsets_out_of_range_are_ignored()
    {
        var tiff = Tiff((0x0110, "prompt:" + Prompt));
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(10 + 8), 1_000_000);

        Assert.Empty(ExifText.Read(tiff));
    }

    [Fact]
    public void Real_a1111_jpeg_user_comment_is_utf16()
    {
        var result = new WorkflowFileOpener(TestRegistry.Options).Open(SharedData.Require($"{RealData.MetadataFolder}/sdparsers_automatic1111_cropped.jpg"));

        Assert.Equal(ComfyFormat.A1111Parameters, result.Format);
        Assert.Equal("monochrome", result.Workflow.Nodes["3"].Inputs["text"].GetString());
        Assert.Equal(235284042UL, result.Workflow.Nodes["5"].Inputs["seed"].GetUInt64());
    }

    [Fact]
    public void Opener_reads_json_files_and_refuses_images_without_workflow()
    {
        using var directory = new TempDirectory();
        var json = directory.Combine("w.json");
        File.WriteAllText(json, Prompt);
        var bare = directory.Combine("bare.png");
        File.WriteAllBytes(bare, TestPng.Build());
        var opener = new WorkflowFileOpener(TestRegistry.Options);

        Assert.Equal(ComfyFormat.ApiPrompt, opener.Open(json).Format);
        Assert.Contains("no workflow metadata", Assert.Throws<InteropFormatException>(() => opener.Open(bare)).Message);
    }
}
