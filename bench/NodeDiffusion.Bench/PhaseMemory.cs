using System.Globalization;

namespace NodeDiffusion.Bench;

/// <summary>
/// Peak memory of one benchmark phase: the process's peak resident set (Linux VmHWM, reset at each phase start through
/// /proc/self/clear_refs when the kernel allows it, else the peak since start) and the managed heap.
/// </summary>
public static class PhaseMemory
{
    private static bool _resettable = true;

    /// <summary>Starts a phase: resets the kernel's peak-RSS mark so the next <see cref="Describe"/> is this phase's peak.</summary>
    public static void Start()
    {
        if (!_resettable)
        {
            return;
        }
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _resettable = false;
        }
    }

    public static string Describe()
    {
        var peak = StatusKb("VmHWM");
        var peakText = peak is { } kb ? $"{kb / 1024.0:F0} MB{(_resettable ? "" : " (since start)")}" : "n/a";
        return $"peak RSS {peakText}, RSS {Environment.WorkingSet / 1e6:F0} MB, GC heap {GC.GetTotalMemory(false) / 1e6:F0} MB";
    }

    private static long? StatusKb(string field)
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    var value = line[(field.Length + 1)..].Trim().Split(' ')[0];
                    return long.Parse(value, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        return null;
    }
}
