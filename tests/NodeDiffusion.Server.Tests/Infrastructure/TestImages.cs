using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace NodeDiffusion.Server.Tests.Infrastructure;

public static class TestImages
{
    public static byte[] Png(int width = 4, int height = 4, byte red = 200)
    {
        using var image = new Image<Rgba32>(width, height, new Rgba32(red, 10, 20, 255));
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }
}
