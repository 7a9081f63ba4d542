using System.Text;

namespace NodeDiffusion.Diffusion.Text;

/// <summary>
/// ComfyUI's emphasis parser (comfy/sd1_clip.py <c>token_weights</c>): top-level parenthesised groups are split off,
/// each group multiplies the weight by 1.1 unless it ends in <c>:number</c> (the last colon), which replaces the weight.
/// </summary>
public static class ComfyPromptParser
{
    // The same private-use sentinels ComfyUI substitutes for escaped parentheses while parsing.
    private const string EscapedClose = "\0\u0001";
    private const string EscapedOpen = "\0\u0002";
    private const double GroupMultiplier = 1.1;

    public static IReadOnlyList<WeightedSegment> Parse(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var escaped = prompt.Replace("\\)", EscapedClose, StringComparison.Ordinal).Replace("\\(", EscapedOpen, StringComparison.Ordinal);
        var segments = new List<WeightedSegment>();
        ParseGroup(escaped, 1.0, segments);
        return segments;
    }

    private static void ParseGroup(string text, double weight, List<WeightedSegment> output)
    {
        foreach (var item in SplitTopLevelGroups(text))
        {
            if (item.Length >= 2 && item[0] == '(' && item[^1] == ')')
            {
                var inner = item[1..^1];
                var innerWeight = weight * GroupMultiplier;
                var colon = inner.LastIndexOf(':');
                if (colon > 0 && PythonFloat.TryParse(inner[(colon + 1)..], out var explicitWeight))
                {
                    innerWeight = explicitWeight;
                    inner = inner[..colon];
                }
                ParseGroup(inner, innerWeight, output);
            }
            else
            {
                output.Add(new WeightedSegment(Unescape(item), weight));
            }
        }
    }

    // ComfyUI's parse_parentheses, including how it treats unbalanced brackets.
    private static List<string> SplitTopLevelGroups(string text)
    {
        var items = new List<string>();
        var current = new StringBuilder();
        var depth = 0;
        foreach (var c in text)
        {
            if (c == '(')
            {
                if (depth == 0)
                {
                    if (current.Length > 0)
                    {
                        items.Add(current.ToString());
                    }
                    current.Clear().Append('(');
                }
                else
                {
                    current.Append(c);
                }
                depth++;
            }
            else if (c == ')')
            {
                depth--;
                if (depth == 0)
                {
                    items.Add(current.Append(')').ToString());
                    current.Clear();
                }
                else
                {
                    current.Append(c);
                }
            }
            else
            {
                current.Append(c);
            }
        }
        if (current.Length > 0)
        {
            items.Add(current.ToString());
        }
        return items;
    }

    private static string Unescape(string text) =>
        text.Replace(EscapedClose, ")", StringComparison.Ordinal).Replace(EscapedOpen, "(", StringComparison.Ordinal);
}
