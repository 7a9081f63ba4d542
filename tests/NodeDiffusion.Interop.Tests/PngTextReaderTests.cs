using System.Text;
using NodeDiffusion.Interop.Png;

namespace NodeDiffusion.Interop.Tests;

public sealed class PngTextReaderTests
{
    [Fact]
    public void Reads_text_ztxt_and_itxt_compressed_or_not()
    {
        var png = TestPng.Build(
            TestPng.Text("prompt", "{\"a\": 1}"),
            TestPng.ZText("comment", "zipped latin-1 é"),
            TestPng.IText("workflow", Encoding.UTF8.GetBytes("plain ☕"), compressed: false),
            TestPng.IText("parameters", TestPng.Zlib(Encoding.UTF8.GetBytes("packed ✓")), compressed: true));

        var chunks = PngTextReader.Read(png);

        Assert.Equal(
            [("prompt", "{\"a\": 1}", "tEXt"), ("comment", "zipped latin-1 é", "zTXt"), ("workflow", "plain ☕", "iTXt"), ("parameters", "packed ✓", "iTXt")],
            chunks.Select(c => (c.Keyword, c.Text, c.ChunkType)));
    }

    [Fact]
    public void Writer_output_reads_back_and_puts_text_after_ihdr()
    {
        var png = PngTextWriter.AddText(TestPng.Build(), [new("prompt", "{}"), new("workflow", "ünïcode ☕")]);
        var compressed = PngTextWriter.AddText(TestPng.Build(), [new("workflow", new string('x', 10_000))], compress: true);

        Assert.Equal("tEXt", Encoding.ASCII.GetString(png, 37, 4));
        Assert.Equal([("prompt", "{}"), ("workflow", "ünïcode ☕")], PngTextReader.Read(png).Select(c => (c.Keyword, c.Text)));
        Assert.True(compressed.Length < 1_000);
        Assert.Equal(10_000, PngTextReader.Read(compressed).Single().Text.Length);
    }

    [Fact]
    public void Bad_crc_is_reported_as_corruption_unless_checking_is_off()
    {
        var png = TestPng.Build(TestPng.Text("prompt", "{}"));
        png[33 + 8 + 3] ^= 0x20;

        var error = Assert.Throws<InteropFormatException>(() => PngTextReader.Read(png));

        Assert.Contains("CRC", error.Message);
        Assert.Equal("proMpt", PngTextReader.Read(png, new PngReadLimits { VerifyCrc = false }).Single().Keyword);
    }

    [Fact]
    public void Truncated_file_says_where_it_ends()
    {
        var png = TestPng.Build(TestPng.Text("prompt", new string('x', 500)));

        var inText = Assert.Throws<InteropFormatException>(() => PngTextReader.Read(png.AsSpan(0, 200)));
        var noEnd = Assert.Throws<InteropFormatException>(() => PngTextReader.Read(png.AsSpan(0, png.Length - 12)));

        Assert.Contains("truncated", inText.Message);
        Assert.Contains("tEXt chunk at byte 33", inText.Message);
        Assert.Contains("without an IEND", noEnd.Message);
    }

    [Fact]
    public void Non_png_is_refused_clearly()
    {
        var error = Assert.Throws<InteropFormatException>(() => PngTextReader.Read("GIF89a not a png"u8));

        Assert.Contains("not a PNG", error.Message);
    }

    [Fact]
    public void Sizes_are_bounded()
    {
        var big = TestPng.Build(TestPng.Text("prompt", new string('x', 5_000)));
        var bomb = TestPng.Build(TestPng.IText("workflow", TestPng.Zlib(new byte[5_000_000]), compressed: true));

        Assert.Contains("at most 1,000", Assert.Throws<InteropFormatException>(() => PngTextReader.Read(big, new PngReadLimits { MaxTextChunkBytes = 1_000 })).Message);
        Assert.Contains("expands beyond", Assert.Throws<InteropFormatException>(() => PngTextReader.Read(bomb, new PngReadLimits { MaxDecompressedBytes = 1_000_000 })).Message);
    }

    [Fact]
    public void Corrupt_zlib_stream_gives_a_clear_error()
    {
        var png = TestPng.Build(TestPng.IText("workflow", [0x78, 0x9C, 0xFF, 0xFF, 0x00, 0x01], compressed: true));

        var error = Assert.Throws<InteropFormatException>(() => PngTextReader.Read(png));

        Assert.Contains("corrupt", error.Message);
    }

    [Fact]
    public void Truncated_real_comfyui_png_gives_a_clear_error()
    {
        var bytes = File.ReadAllBytes(RealData.Example("lora_lora.png"));

        var error = Assert.Throws<InteropFormatException>(() => PngTextReader.Read(bytes.AsSpan(0, 1_000)));

        Assert.Contains("truncated", error.Message);
        Assert.Contains("byte 33", error.Message);
    }
}
