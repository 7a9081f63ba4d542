using System.Globalization;
using System.Text.RegularExpressions;

namespace NodeDiffusion.Interop.A1111;

/// <summary>An A1111 extra-network tag in a prompt: <c>&lt;lora:name:0.8&gt;</c> or <c>&lt;hypernet:name:1&gt;</c>.</summary>
public sealed partial record ExtraNetworkTag(string Kind, string Name, double Weight)
{
    public const int MaxTags = 64;

    [GeneratedRegex(@"<(lora|lyco|hypernet):([^:>]+)(?::([^:>]*))?(?::[^>]*)?>", RegexOptions.IgnoreCase)]
    private static partial Regex Tag();

    /// <summary>The tags of a prompt (at most <see cref="MaxTags"/>) and the prompt without them.</summary>
    public static (IReadOnlyList<ExtraNetworkTag> Tags, string Prompt) Extract(string prompt)
    {
        var tags = new List<ExtraNetworkTag>();
        foreach (Match match in Tag().Matches(prompt).Take(MaxTags))
        {
            var weight = double.TryParse(match.Groups[3].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) ? w : 1.0;
            var kind = match.Groups[1].Value.ToLowerInvariant() == "hypernet" ? "hypernet" : "lora";
            tags.Add(new ExtraNetworkTag(kind, match.Groups[2].Value.Trim(), weight));
        }
        var stripped = Tag().Replace(prompt, "");
        return (tags, Regex.Replace(stripped, @"[ \t]*,[ \t]*(,[ \t]*)+", ", ").Trim().Trim(',').Trim());
    }
}
