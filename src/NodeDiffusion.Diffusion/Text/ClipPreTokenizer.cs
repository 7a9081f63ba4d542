using System.Globalization;
using System.Text;

namespace NodeDiffusion.Diffusion.Text;

/// <summary>
/// CLIP's word splitter, equivalent to the regex
/// <c>'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+</c> applied to normalised (lower-cased) text.
/// Hand-written over runes so that letters outside the BMP are classified like Python does.
/// </summary>
/// <remarks>
/// The slow HF tokenizer (ComfyUI) compiles the regex case-insensitively with the <c>regex</c> module, under which
/// U+0345 COMBINING GREEK YPOGEGRAMMENI (a mark whose case variant is a letter) matches no alternative and is skipped
/// like whitespace; it is the only code point that flag changes.
/// </remarks>
public static class ClipPreTokenizer
{
    private static readonly string[] Contractions = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d"];

    /// <summary>Appends the words of <paramref name="text"/> to <paramref name="words"/>; whitespace separates and is dropped.</summary>
    public static void Split(ReadOnlySpan<char> text, List<string> words, bool caseInsensitiveClasses = false)
    {
        var i = 0;
        while (i < text.Length)
        {
            var rest = text[i..];
            Rune.DecodeFromUtf16(rest, out var rune, out var length);
            var kind = Classify(rune, caseInsensitiveClasses);
            if (kind == CharKind.Space)
            {
                i += length;
                continue;
            }
            if (rune.Value == '\'' && MatchContraction(rest) is { } contraction)
            {
                words.Add(contraction);
                i += contraction.Length;
                continue;
            }
            if (kind == CharKind.Number)
            {
                words.Add(rest[..length].ToString());
                i += length;
                continue;
            }
            var end = i + length;
            while (end < text.Length)
            {
                Rune.DecodeFromUtf16(text[end..], out var next, out var nextLength);
                if (Classify(next, caseInsensitiveClasses) != kind)
                {
                    break;
                }
                end += nextLength;
            }
            words.Add(text[i..end].ToString());
            i = end;
        }
    }

    private static string? MatchContraction(ReadOnlySpan<char> text)
    {
        foreach (var contraction in Contractions)
        {
            if (text.StartsWith(contraction, StringComparison.Ordinal))
            {
                return contraction;
            }
        }
        return null;
    }

    private enum CharKind
    {
        Space,
        Letter,
        Number,
        Other,
    }

    private static CharKind Classify(Rune rune, bool caseInsensitiveClasses)
    {
        if (rune.IsAscii)
        {
            var c = (char)rune.Value;
            return char.IsAsciiLetter(c) ? CharKind.Letter
                : char.IsAsciiDigit(c) ? CharKind.Number
                : c is ' ' or (>= '\t' and <= '\r') ? CharKind.Space
                : CharKind.Other;
        }
        if (Rune.IsWhiteSpace(rune) || (caseInsensitiveClasses && rune.Value == 0x0345))
        {
            return CharKind.Space;
        }
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharKind.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharKind.Number,
            _ => CharKind.Other,
        };
    }
}
