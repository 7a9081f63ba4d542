using NodeDiffusion.Diffusion.Text;

namespace NodeDiffusion.Diffusion.Tests.Text;

public sealed class PythonFloatTests
{
    [Theory]
    [InlineData("1.3", 1.3)]
    [InlineData("  1.5\t", 1.5)]
    [InlineData("\u001F2\u3000", 2.0)]
    [InlineData("-.5", -0.5)]
    [InlineData("+2.", 2.0)]
    [InlineData("1e-3", 0.001)]
    [InlineData("1_000.5", 1000.5)]
    [InlineData("\u0661\u0662", 12.0)]
    [InlineData("Infinity", double.PositiveInfinity)]
    [InlineData("-inf", double.NegativeInfinity)]
    public void AcceptsWhatPythonAccepts(string text, double expected)
    {
        Assert.True(PythonFloat.TryParse(text, out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void AcceptsNan()
    {
        Assert.True(PythonFloat.TryParse("+nan", out var value));
        Assert.True(double.IsNaN(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData("1,5")]
    [InlineData("1__0")]
    [InlineData("_1")]
    [InlineData("1_")]
    [InlineData("0x10")]
    [InlineData("+-1")]
    [InlineData("abc")]
    [InlineData("1e")]
    public void RejectsWhatPythonRejects(string text) =>
        Assert.False(PythonFloat.TryParse(text, out _));
}
