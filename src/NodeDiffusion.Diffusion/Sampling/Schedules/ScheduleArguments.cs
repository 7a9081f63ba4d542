namespace NodeDiffusion.Diffusion.Sampling.Schedules;

internal static class ScheduleArguments
{
    public static void RequireSteps(int steps)
    {
        if (steps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "A schedule needs at least one step.");
        }
    }
}
