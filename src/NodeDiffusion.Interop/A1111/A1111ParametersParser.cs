using System.Text;
using System.Text.RegularExpressions;

namespace NodeDiffusion.Interop.A1111;

/// <summary>
/// Parses A1111's parameters text as its own <c>parse_generation_parameters</c> does: the last line is the settings line
/// when it holds at least three "Key: value" pairs; "Negative prompt:" starts the negative prompt; the rest is the prompt.
/// </summary>
public static partial class A1111ParametersParser
{
    public const int MaxTextLength = 1024 * 1024;

    [GeneratedRegex(@"\s*([\w ./\-]+?):\s*(""(?:\\.|[^\\""])+""|[^,]*)(?:,|$)")]
    private static partial Regex Setting();

    /// <summary>Parses the text, or returns null when it is not A1111 parameters (JSON from Fooocus or NovelAI, or empty).</summary>
    public static A1111Parameters? Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.TrimStart().StartsWith('{') || text.Length > MaxTextLength)
        {
            return null;
        }
        var lines = text.Replace("\r\n", "\n").Trim().Split('\n');
        var settings = new List<KeyValuePair<string, string>>();
        var last = lines[^1].Trim();
        var matches = Setting().Matches(last);
        var body = lines;
        if (matches.Count >= 3)
        {
            foreach (Match match in matches)
            {
                settings.Add(new(match.Groups[1].Value.Trim(), Unquote(match.Groups[2].Value.Trim())));
            }
            body = lines[..^1];
        }
        var prompt = new StringBuilder();
        var negative = new StringBuilder();
        var inNegative = false;
        foreach (var line in body)
        {
            var current = line;
            if (!inNegative && current.StartsWith("Negative prompt:", StringComparison.Ordinal))
            {
                inNegative = true;
                current = current["Negative prompt:".Length..].TrimStart();
            }
            var target = inNegative ? negative : prompt;
            if (target.Length > 0)
            {
                target.Append('\n');
            }
            target.Append(current);
        }
        if (prompt.Length == 0 && negative.Length == 0 && settings.Count == 0)
        {
            return null;
        }
        return new A1111Parameters(prompt.ToString().Trim(), negative.ToString().Trim(), settings);
    }

    private static string Unquote(string value)
    {
        if (value.Length < 2 || value[0] != '"' || value[^1] != '"')
        {
            return value;
        }
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<string>(value) ?? value;
        }
        catch (System.Text.Json.JsonException)
        {
            return value[1..^1];
        }
    }
}
