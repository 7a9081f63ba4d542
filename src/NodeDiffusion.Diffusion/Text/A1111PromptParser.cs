using System.Text.RegularExpressions;

namespace NodeDiffusion.Diffusion.Text;

/// <summary>
/// AUTOMATIC1111's <c>parse_prompt_attention</c>: <c>(x)</c> ×1.1, <c>[x]</c> ÷1.1, <c>(x:w)</c> ×w, all multiplying with
/// the enclosing brackets; unclosed brackets apply to the rest of the prompt; backslash escapes; <c>BREAK</c>;
/// neighbouring runs with equal weights are joined.
/// </summary>
public static partial class A1111PromptParser
{
    private const double RoundMultiplier = 1.1;
    private const double SquareMultiplier = 1 / 1.1;

    [GeneratedRegex(@"\\\(|\\\)|\\\[|\\]|\\\\|\\|\(|\[|:\s*([+-]?[.\d]+)\s*\)|\)|]|[^\\()\[\]:]+|:")]
    private static partial Regex AttentionToken();

    [GeneratedRegex(@"\s*\bBREAK\b\s*", RegexOptions.Singleline)]
    private static partial Regex BreakKeyword();

    public static IReadOnlyList<WeightedSegment> Parse(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var runs = new List<Run>();
        var roundOpen = new Stack<int>();
        var squareOpen = new Stack<int>();

        foreach (Match match in AttentionToken().Matches(prompt))
        {
            var text = match.Value;
            var weightGroup = match.Groups[1];
            if (text.StartsWith('\\'))
            {
                runs.Add(new Run(text[1..], 1.0));
            }
            else if (text == "(")
            {
                roundOpen.Push(runs.Count);
            }
            else if (text == "[")
            {
                squareOpen.Push(runs.Count);
            }
            else if (weightGroup.Success && roundOpen.Count > 0 && PythonFloat.TryParse(weightGroup.Value, out var weight))
            {
                Multiply(runs, roundOpen.Pop(), weight);
            }
            else if (weightGroup.Success && roundOpen.Count > 0)
            {
                // Upstream raises on an unparsable weight such as "(x:1.2.3)"; here the number stays text and the group closes as ×1.1.
                runs.Add(new Run(text[..^1], 1.0));
                Multiply(runs, roundOpen.Pop(), RoundMultiplier);
            }
            else if (text == ")" && roundOpen.Count > 0)
            {
                Multiply(runs, roundOpen.Pop(), RoundMultiplier);
            }
            else if (text == "]" && squareOpen.Count > 0)
            {
                Multiply(runs, squareOpen.Pop(), SquareMultiplier);
            }
            else
            {
                AddTextWithBreaks(runs, text);
            }
        }

        foreach (var start in roundOpen.Reverse())
        {
            Multiply(runs, start, RoundMultiplier);
        }
        foreach (var start in squareOpen.Reverse())
        {
            Multiply(runs, start, SquareMultiplier);
        }
        if (runs.Count == 0)
        {
            runs.Add(new Run("", 1.0));
        }
        return JoinEqualWeights(runs);
    }

    private static void AddTextWithBreaks(List<Run> runs, string text)
    {
        var parts = BreakKeyword().Split(text);
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                runs.Add(new Run("BREAK", 1.0, IsBreak: true));
            }
            runs.Add(new Run(parts[i], 1.0));
        }
    }

    // Breaks keep their identity inside brackets; upstream multiplies their -1 marker and then reads them as text.
    private static void Multiply(List<Run> runs, int start, double multiplier)
    {
        for (var i = start; i < runs.Count; i++)
        {
            if (!runs[i].IsBreak)
            {
                runs[i] = runs[i] with { Weight = runs[i].Weight * multiplier };
            }
        }
    }

    private static List<WeightedSegment> JoinEqualWeights(List<Run> runs)
    {
        var segments = new List<WeightedSegment>();
        foreach (var run in runs)
        {
            if (run.IsBreak)
            {
                segments.Add(WeightedSegment.Break);
            }
            else if (segments.Count > 0 && !segments[^1].IsBreak && segments[^1].Weight == run.Weight)
            {
                segments[^1] = segments[^1] with { Text = segments[^1].Text + run.Text };
            }
            else
            {
                segments.Add(new WeightedSegment(run.Text, run.Weight));
            }
        }
        return segments;
    }

    private sealed record Run(string Text, double Weight, bool IsBreak = false);
}
