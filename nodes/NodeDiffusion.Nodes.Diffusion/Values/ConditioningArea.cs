namespace NodeDiffusion.Nodes.Diffusion.Values;

/// <summary>
/// The part of the latent a conditioning applies to (ComfyUI's <c>area</c>): in latent cells (pixels / 8, as
/// ConditioningSetArea stores it) or as fractions of the latent (ConditioningSetAreaPercentage).
/// </summary>
public sealed record ConditioningArea(bool IsPercentage, double Height, double Width, double Y, double X)
{
    public static ConditioningArea FromPixels(int width, int height, int x, int y) => new(false, height / 8, width / 8, y / 8, x / 8);

    /// <summary>(height, width, y, x) in latent cells for a latent of the given size, clamped to it as ComfyUI does when sampling.</summary>
    public (int Height, int Width, int Y, int X) Resolve(int latentHeight, int latentWidth)
    {
        var (h, w, y, x) = Unclamped(latentHeight, latentWidth);
        return (Math.Min(latentHeight - y, h), Math.Min(latentWidth - x, w), y, x);
    }

    /// <summary>Percentages resolved (Python's round, half to even), sizes not yet clamped: what ComfyUI compares areas by.</summary>
    public (int Height, int Width, int Y, int X) Unclamped(int latentHeight, int latentWidth) =>
        IsPercentage
            ? (Math.Max(1, Round(Height * latentHeight)), Math.Max(1, Round(Width * latentWidth)), Round(Y * latentHeight), Round(X * latentWidth))
            : ((int)Height, (int)Width, (int)Y, (int)X);

    private static int Round(double value) => (int)Math.Round(value, MidpointRounding.ToEven);

    public override string ToString() => IsPercentage ? $"area {Width:P0}×{Height:P0} at ({X:P0}, {Y:P0})" : $"area {Width * 8}×{Height * 8} at ({X * 8}, {Y * 8})";
}
