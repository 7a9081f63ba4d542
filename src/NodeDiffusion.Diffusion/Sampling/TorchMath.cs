namespace NodeDiffusion.Diffusion.Sampling;

/// <summary>Small numeric helpers that reproduce how torch/numpy evaluate a few schedule formulas.</summary>
internal static class TorchMath
{
    /// <summary>Element <paramref name="index"/> of <c>linspace(start, end, steps)</c>, filled from both ends as torch's CPU kernel does.</summary>
    public static double LinspaceValue(double start, double end, int steps, int index)
    {
        if (steps == 1)
        {
            return start;
        }
        var step = (end - start) / (steps - 1);
        return index < steps / 2 ? start + step * index : end - step * (steps - index - 1);
    }

    /// <summary>The float32 <c>torch.linspace(start, end, steps)</c>.</summary>
    public static float[] LinspaceFloat(float start, float end, int steps)
    {
        var result = new float[steps];
        if (steps == 1)
        {
            result[0] = start;
            return result;
        }
        var step = (end - start) / (steps - 1);
        var halfway = steps / 2;
        for (var i = 0; i < steps; i++)
        {
            result[i] = i < halfway ? start + step * i : end - step * (steps - i - 1);
        }
        return result;
    }
}
