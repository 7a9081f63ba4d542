namespace NodeDiffusion.Nodes.Image.Imaging;

/// <summary>Bounds on images we decode, checked before any pixel is allocated.</summary>
public static class ImageLimits
{
    public const long MaxFileBytes = 64L * 1024 * 1024;
    public const long MaxPixels = 64L * 1024 * 1024;
    public const int MaxFrames = 64;
    public const int MaxSide = 16384;
}
