using NodeDiffusion.Diffusion.Text;

namespace NodeDiffusion.Diffusion.Tests.Text;

public sealed class A1111PromptParserTests
{
    [Fact]
    public void RoundBracketsMultiplyAndExplicitWeightsMultiplyWithOuterBrackets()
    {
        AssertSegments("an (important) word", ("an ", 1.0), ("important", 1.1), (" word", 1.0));
        AssertSegments("a (very (important:1.5)) word", ("a ", 1.0), ("very ", 1.1), ("important", 1.5 * 1.1), (" word", 1.0));
    }

    [Fact]
    public void SquareBracketsDivide()
    {
        AssertSegments("a [less] word", ("a ", 1.0), ("less", 1 / 1.1), (" word", 1.0));
        AssertSegments("[[x]]", ("x", (1 / 1.1) * (1 / 1.1)));
        AssertSegments("(x:0.5) [y]", ("x", 0.5), (" ", 1.0), ("y", 1 / 1.1));
    }

    [Fact]
    public void UnclosedBracketsApplyToTheEnd()
    {
        AssertSegments("(unclosed", ("unclosed", 1.1));
        AssertSegments("[unclosed", ("unclosed", 1 / 1.1));
    }

    [Fact]
    public void BackslashEscapesBrackets()
    {
        AssertSegments(@"\(literal\) and \[b\]", ("(literal) and [b]", 1.0));
        AssertSegments(@"a \\ b", (@"a \ b", 1.0));
    }

    [Fact]
    public void EqualNeighbouringWeightsAreJoined() =>
        AssertSegments("(a)(b)", ("ab", 1.1));

    [Fact]
    public void ColonOutsideAWeightIsText() =>
        AssertSegments("a:b", ("a:b", 1.0));

    [Fact]
    public void EmptyPromptIsOneEmptySegment() =>
        AssertSegments("", ("", 1.0));

    [Fact]
    public void BreakSplitsTheText()
    {
        var segments = A1111PromptParser.Parse("a BREAK b");
        Assert.Equal(3, segments.Count);
        Assert.Equal(new WeightedSegment("a", 1.0), segments[0]);
        Assert.True(segments[1].IsBreak);
        Assert.Equal(new WeightedSegment("b", 1.0), segments[2]);
    }

    [Fact]
    public void UnparsableWeightStaysTextInsteadOfFailing() =>
        AssertSegments("(x:1.2.3)", ("x:1.2.3", 1.1));

    private static void AssertSegments(string prompt, params (string Text, double Weight)[] expected) =>
        Assert.Equal(expected, A1111PromptParser.Parse(prompt).Select(s => (s.Text, s.Weight)).ToArray());
}
