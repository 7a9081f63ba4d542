namespace NodeDiffusion.Models.Demo;

/// <summary>SplitMix64: tiny, fast, and fixed by its definition (unlike System.Random across runtimes).</summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public float NextFloat()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 40) / (float)(1UL << 24);
    }

    /// <summary>Values uniform in [−amplitude, amplitude).</summary>
    public float[] Uniform(int count, float amplitude)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = amplitude * ((2f * NextFloat()) - 1f);
        }
        return values;
    }
}
