namespace NodeDiffusion.Diffusion.Sampling.Diffusers;

/// <summary>The inference timesteps of diffusers' schedulers for each spacing (descending).</summary>
public static class DiffusersTimesteps
{
    /// <summary>Euler / EulerAncestral / LMS / DDIM / PNDM-base spacing for <paramref name="steps"/> steps.</summary>
    public static double[] Create(TimestepSpacing spacing, int trainTimesteps, int steps, int stepsOffset)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        var result = new double[steps];
        switch (spacing)
        {
            case TimestepSpacing.Linspace:
                for (var i = 0; i < steps; i++)
                {
                    // np.linspace(..., dtype=float32): computed in float64, stored as float32.
                    result[steps - 1 - i] = (float)NumpyLinspace(0, trainTimesteps - 1, steps, i);
                }
                break;
            case TimestepSpacing.Leading:
                var ratio = trainTimesteps / steps;
                for (var i = 0; i < steps; i++)
                {
                    result[steps - 1 - i] = (double)i * ratio + stepsOffset;
                }
                break;
            case TimestepSpacing.Trailing:
                var trailingRatio = (double)trainTimesteps / steps;
                for (var i = 0; i < steps; i++)
                {
                    result[i] = Math.Round(trainTimesteps - i * trailingRatio, MidpointRounding.ToEven) - 1;
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(spacing), spacing, "Unknown timestep spacing.");
        }
        return result;
    }

    /// <summary>
    /// DPMSolverMultistep's integer timesteps: it spaces steps + 1 points and drops the last one (leading: 941 … 48;
    /// linspace: 999, 949, …, 50 for SD1.5 at 20 steps).
    /// </summary>
    public static double[] CreateForDpmSolver(TimestepSpacing spacing, int trainTimesteps, int steps, int stepsOffset)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        var result = new double[steps];
        switch (spacing)
        {
            case TimestepSpacing.Linspace:
                for (var i = 0; i < steps; i++)
                {
                    result[i] = Math.Round(NumpyLinspace(0, trainTimesteps - 1, steps + 1, steps - i), MidpointRounding.ToEven);
                }
                break;
            case TimestepSpacing.Leading:
                var ratio = trainTimesteps / (steps + 1);
                for (var i = 0; i < steps; i++)
                {
                    result[i] = (double)(steps - i) * ratio + stepsOffset;
                }
                break;
            case TimestepSpacing.Trailing:
                var trailingRatio = (double)trainTimesteps / steps;
                for (var i = 0; i < steps; i++)
                {
                    result[i] = Math.Round(trainTimesteps - i * trailingRatio, MidpointRounding.ToEven) - 1;
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(spacing), spacing, "Unknown timestep spacing.");
        }
        return result;
    }

    /// <summary>Element i of numpy's <c>linspace(start, stop, num)</c> (arange·step + start, last element exactly stop).</summary>
    private static double NumpyLinspace(double start, double stop, int num, int index)
    {
        if (index == num - 1)
        {
            return stop;
        }
        var step = (stop - start) / (num - 1);
        return index * step + start;
    }
}
