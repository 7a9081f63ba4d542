using NodeDiffusion.Models.Runtime;

namespace NodeDiffusion.Models.Tests.Support;

public static class Compare
{
    /// <summary>Asserts equal shapes and max |actual − expected| ≤ tolerance, and reports the measured error.</summary>
    public static double MaxAbs(string label, FloatTensor expected, FloatTensor actual, double tolerance)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        double max = 0;
        for (var i = 0; i < expected.Data.Length; i++)
        {
            var e = Math.Abs((double)expected.Data[i] - actual.Data[i]);
            if (!(e <= max))
            {
                max = double.IsNaN(e) ? double.PositiveInfinity : e;
            }
        }
        Report.Line($"{label}: max abs error {max:E2} (tolerance {tolerance:E0})");
        Assert.True(max <= tolerance, $"{label}: max abs error {max:E3} exceeds {tolerance:E1}");
        return max;
    }
}
