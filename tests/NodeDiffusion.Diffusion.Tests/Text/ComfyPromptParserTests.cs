using NodeDiffusion.Diffusion.Text;

namespace NodeDiffusion.Diffusion.Tests.Text;

public sealed class ComfyPromptParserTests
{
    [Fact]
    public void PlainTextIsOneSegmentOfWeightOne() =>
        AssertSegments("a photo of a cat", ("a photo of a cat", 1.0));

    [Fact]
    public void ParenthesesMultiplyByOnePointOne() =>
        AssertSegments("a (b) c", ("a ", 1.0), ("b", 1.1), (" c", 1.0));

    [Fact]
    public void NestingMultipliesInDoublePrecision()
    {
        AssertSegments("((x))", ("x", 1.1 * 1.1));
        AssertSegments("(((x)))", ("x", 1.1 * 1.1 * 1.1));
        AssertSegments("((a) b)", ("a", 1.1 * 1.1), (" b", 1.1));
    }

    [Fact]
    public void ExplicitWeightReplacesInsteadOfMultiplying()
    {
        AssertSegments("(x:1.3)", ("x", 1.3));
        AssertSegments("((x:1.3))", ("x", 1.3));
        AssertSegments("(a (b:1.5) c:0.5)", ("a ", 0.5), ("b", 1.5), (" c", 0.5));
    }

    [Fact]
    public void TheLastColonHoldsTheWeight() =>
        AssertSegments("(a:b:1.2)", ("a:b", 1.2));

    [Fact]
    public void WeightsParseLikePythonFloat()
    {
        AssertSegments("(x: 1_0 )", ("x", 10.0));
        AssertSegments("(x:-.5)", ("x", -0.5));
        AssertSegments("(x:2e-1)", ("x", 0.2));
    }

    [Fact]
    public void UnparsableWeightStaysTextAndTheGroupCountsAsEmphasis()
    {
        AssertSegments("(x:abc)", ("x:abc", 1.1));
        AssertSegments("(:1.5)", (":1.5", 1.1));
    }

    [Fact]
    public void EscapedParenthesesAreLiteral() =>
        AssertSegments(@"\(x\) (y)", ("(x) ", 1.0), ("y", 1.1));

    [Fact]
    public void SquareBracketsAreLiteralText() =>
        AssertSegments("a [b] c", ("a [b] c", 1.0));

    [Fact]
    public void UnbalancedParenthesesFollowComfyUI()
    {
        AssertSegments("a)b(c", ("a)b(c", 1.0));
        AssertSegments("(a", ("(a", 1.0));
        AssertSegments("()");
    }

    [Fact]
    public void EmbeddingInsideAWeightedGroupKeepsItsName() =>
        AssertSegments("(embedding:foo:1.2), bar", ("embedding:foo", 1.2), (", bar", 1.0));

    internal static void AssertSegments(string prompt, params (string Text, double Weight)[] expected) =>
        Assert.Equal(expected, ComfyPromptParser.Parse(prompt).Select(s => (s.Text, s.Weight)).ToArray());
}
