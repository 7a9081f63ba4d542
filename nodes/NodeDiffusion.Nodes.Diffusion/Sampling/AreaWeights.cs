namespace NodeDiffusion.Nodes.Diffusion.Sampling;

/// <summary>
/// ComfyUI's <c>get_area_and_mult</c> weights for an entry with an area: strength everywhere, ramped down over up to 8
/// cells (a quarter of the area at most) along each edge that lies inside the latent, so areas blend without seams.
/// </summary>
internal static class AreaWeights
{
    /// <summary>[height, width] weights of an area at (y, x) of size height×width in a latent of latentHeight×latentWidth.</summary>
    public static float[] Feathered(int height, int width, int y, int x, int latentHeight, int latentWidth, float strength, bool hasArea)
    {
        var mult = new float[height * width];
        Array.Fill(mult, strength);
        if (!hasArea)
        {
            return mult;
        }
        Feather(mult, height, width, alongRows: true, offset: y, latentSize: latentHeight);
        Feather(mult, height, width, alongRows: false, offset: x, latentSize: latentWidth);
        return mult;
    }

    private static void Feather(float[] mult, int height, int width, bool alongRows, int offset, int latentSize)
    {
        var size = alongRows ? height : width;
        var ramp = Math.Min(8, size / 4);
        if (offset != 0)
        {
            for (var t = 0; t < ramp; t++)
            {
                Scale(mult, height, width, alongRows, t, (float)((1.0 / ramp) * (t + 1)));
            }
        }
        if (offset + size < latentSize)
        {
            for (var t = 0; t < ramp; t++)
            {
                Scale(mult, height, width, alongRows, size - 1 - t, (float)((1.0 / ramp) * (t + 1)));
            }
        }
    }

    private static void Scale(float[] mult, int height, int width, bool alongRows, int index, float factor)
    {
        if (alongRows)
        {
            for (var column = 0; column < width; column++)
            {
                mult[(index * width) + column] *= factor;
            }
        }
        else
        {
            for (var row = 0; row < height; row++)
            {
                mult[(row * width) + index] *= factor;
            }
        }
    }
}
