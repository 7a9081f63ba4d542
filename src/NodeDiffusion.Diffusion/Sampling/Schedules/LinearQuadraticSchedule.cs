namespace NodeDiffusion.Diffusion.Sampling.Schedules;

/// <summary>ComfyUI "linear_quadratic" (from Mochi): linear in the first half, quadratic after, scaled by σ_max.</summary>
public static class LinearQuadraticSchedule
{
    public static float[] Create(ModelSamplingDiscrete modelSampling, int steps, double thresholdNoise = 0.025, int? linearSteps = null)
    {
        ArgumentNullException.ThrowIfNull(modelSampling);
        ScheduleArguments.RequireSteps(steps);
        double[] schedule;
        if (steps == 1)
        {
            schedule = [1.0, 0.0];
        }
        else
        {
            var linear = linearSteps ?? steps / 2;
            var values = new List<double>(steps + 1);
            for (var i = 0; i < linear; i++)
            {
                values.Add(i * thresholdNoise / linear);
            }
            var thresholdNoiseStepDiff = linear - thresholdNoise * steps;
            var quadraticSteps = steps - linear;
            var quadraticCoef = thresholdNoiseStepDiff / (linear * Math.Pow(quadraticSteps, 2));
            var linearCoef = thresholdNoise / linear - 2 * thresholdNoiseStepDiff / Math.Pow(quadraticSteps, 2);
            var constant = quadraticCoef * Math.Pow(linear, 2);
            for (var i = linear; i < steps; i++)
            {
                values.Add(quadraticCoef * i * i + linearCoef * i + constant);
            }
            values.Add(1.0);
            schedule = [.. values.Select(v => 1.0 - v)];
        }
        var sigmaMax = modelSampling.SigmaMax;
        return [.. schedule.Select(v => (float)v * sigmaMax)];
    }
}
