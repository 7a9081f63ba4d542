using NodeDiffusion.Diffusion.Text;

namespace NodeDiffusion.Diffusion.Tests.Text;

public sealed class ClipTextNormalizerTests
{
    [Theory]
    [InlineData("cafe\u0301", "caf\u00E9")]
    [InlineData("A\u030A", "\u00C5")]
    [InlineData("\u212B", "\u00C5")]
    [InlineData("\u1100\u1161\u11A8", "\uAC01")]
    [InlineData("a\u0323\u0307", "\u1EA1\u0307")]
    [InlineData("a\u0307\u0323", "\u1EA1\u0307")]
    [InlineData("\u0958", "\u0915\u093C")]
    [InlineData("plain ascii", "plain ascii")]
    public void ComposesToNfc(string input, string expected) =>
        Assert.Equal(expected, UnicodeComposition.ToNfc(input));

    [Fact]
    public void LowerCasesLikePython()
    {
        Assert.Equal("i\u0307stanbul", ClipTextNormalizer.ToLowerLikePython("\u0130STANBUL"));
        Assert.Equal("\u03BF\u03B4\u03BF\u03C2 \u03C3", ClipTextNormalizer.ToLowerLikePython("\u039F\u0394\u039F\u03A3 \u03A3"));
        Assert.Equal("\U0001044F", ClipTextNormalizer.ToLowerLikePython("\U00010427"));
    }

    [Theory]
    [InlineData("\u0392\u03A3\u0345\u304C", "\u03B2\u03C2\u0345\u304C")]
    [InlineData("\uAC00\u03A3", "\uAC00\u03C3")]
    [InlineData("\u2160\u03A3", "\u2170\u03C2")]
    [InlineData("\u0391'\u03A3'", "\u03B1'\u03C2'")]
    [InlineData("\u0391\u03A3\u24B6", "\u03B1\u03C3\u24D0")]
    public void FinalSigmaUsesCasedAndCaseIgnorableLikePython(string input, string expected) =>
        Assert.Equal(expected, ClipTextNormalizer.ToLowerLikePython(input));

    [Fact]
    public void LoneSurrogatesBecomeReplacementCharacters() =>
        Assert.Equal("a\uFFFDb", ClipTextNormalizer.Normalize("a\uD800b", ClipTextCleaning.HuggingFaceFast));

    [Fact]
    public void BasicTokenizerCleaningDropsControlsAndIsolatesIdeographs() =>
        Assert.Equal("1 2  \u751F  \u6D3B a", ClipTextNormalizer.Normalize("1\u0000 2\uFFFD\u200D \u751F\u6D3BA", ClipTextCleaning.BasicTokenizer).Trim());

    [Fact]
    public void PreTokenizerSplitsLikeTheClipRegex()
    {
        var words = new List<string>();

        ClipPreTokenizer.Split("it's a\U0001D41Ab!!'s 12 x\u0301", words);

        Assert.Equal(["it", "'s", "a\U0001D41Ab", "!!'", "s", "1", "2", "x", "\u0301"], words);
    }

    [Fact]
    public void CaseInsensitiveRegexSkipsYpogegrammeniLikeThePythonRegexModule()
    {
        var sensitive = new List<string>();
        var insensitive = new List<string>();

        ClipPreTokenizer.Split("a\u0345b \u0338\u0345", sensitive);
        ClipPreTokenizer.Split("a\u0345b \u0338\u0345", insensitive, caseInsensitiveClasses: true);

        Assert.Equal(["a", "\u0345", "b", "\u0338\u0345"], sensitive);
        Assert.Equal(["a", "b", "\u0338"], insensitive);
    }
}
