using System.Text.RegularExpressions;

namespace NodeDiffusion.Diffusion.Text;

/// <summary>
/// ComfyUI's <c>embedding:name</c> syntax: a word starting with the prefix at the start of a weighted segment or after
/// whitespace names an embedding; text after the name (following whitespace, '&lt;' or '[') is tokenized normally.
/// </summary>
public static partial class EmbeddingSyntax
{
    public const string Prefix = "embedding:";

    [GeneratedRegex("(?<=" + PythonWhitespace.RegexClass + ")" + Prefix)]
    private static partial Regex PrefixAfterWhitespace();

    [GeneratedRegex(@"[<\[]")]
    private static partial Regex NameTerminator();

    /// <summary>Splits a segment so that every part after the first starts with <see cref="Prefix"/>; empty parts are dropped.</summary>
    public static IReadOnlyList<string> SplitWords(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var parts = PrefixAfterWhitespace().Split(segment);
        var words = new List<string>(parts.Length);
        for (var i = 0; i < parts.Length; i++)
        {
            var word = i == 0 ? parts[0] : Prefix + parts[i];
            if (word.Length > 0)
            {
                words.Add(word);
            }
        }
        return words;
    }

    /// <summary>The embedding name at the start of <paramref name="afterPrefix"/> and the text that follows it (words joined by single spaces).</summary>
    public static (string Name, string Leftover) SplitName(string afterPrefix)
    {
        ArgumentNullException.ThrowIfNull(afterPrefix);
        var words = PythonWhitespace.Split(afterPrefix.Trim('\n'));
        if (words.Length == 0)
        {
            return ("", "");
        }
        var name = words[0];
        var leftover = string.Join(' ', words.Skip(1));
        var terminator = NameTerminator().Match(name);
        if (terminator.Success)
        {
            leftover = name[terminator.Index..] + (leftover.Length > 0 ? " " + leftover : "");
            name = name[..terminator.Index];
        }
        return (name, leftover);
    }
}
