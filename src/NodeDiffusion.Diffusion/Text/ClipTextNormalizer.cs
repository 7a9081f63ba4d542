using System.Globalization;
using System.Text;

namespace NodeDiffusion.Diffusion.Text;

/// <summary>The text normalisation CLIP applies before pre-tokenising: clean-up, NFC and Python-style lower-casing.</summary>
public static class ClipTextNormalizer
{
    public static string Normalize(string text, ClipTextCleaning cleaning)
    {
        ArgumentNullException.ThrowIfNull(text);
        var repaired = ReplaceLoneSurrogates(text);
        if (cleaning == ClipTextCleaning.BasicTokenizer)
        {
            repaired = CleanLikeBasicTokenizer(repaired);
        }
        return ToLowerLikePython(UnicodeComposition.ToNfc(repaired));
    }

    /// <summary>
    /// Lower-cases like Python's <c>str.lower()</c>, which HF and ComfyUI use: full case mapping (İ becomes "i̇")
    /// and the final-sigma rule, neither of which .NET's invariant lower-casing does.
    /// </summary>
    public static string ToLowerLikePython(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Ascii.IsValid(text))
        {
            return text.ToLowerInvariant();
        }
        var builder = new StringBuilder(text.Length);
        Span<char> buffer = stackalloc char[2];
        var index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == 0x0130)
            {
                builder.Append("i\u0307");
            }
            else if (rune.Value == 0x03A3)
            {
                builder.Append(IsFinalSigma(text, index) ? '\u03C2' : '\u03C3');
            }
            else
            {
                var written = Rune.ToLowerInvariant(rune).EncodeToUtf16(buffer);
                builder.Append(buffer[..written]);
            }
            index += rune.Utf16SequenceLength;
        }
        return builder.ToString();
    }

    // Python's rule: Σ is final when a cased character precedes it and none follows, skipping case-ignorable ones.
    private static bool IsFinalSigma(string text, int sigmaIndex)
    {
        var before = sigmaIndex;
        Rune previous = default;
        var found = false;
        while (before > 0)
        {
            Rune.DecodeLastFromUtf16(text.AsSpan(0, before), out previous, out var length);
            before -= length;
            if (!IsCaseIgnorable(previous))
            {
                found = true;
                break;
            }
        }
        if (!found || !IsCased(previous))
        {
            return false;
        }
        var after = sigmaIndex + 1;
        while (after < text.Length)
        {
            Rune.DecodeFromUtf16(text.AsSpan(after), out var next, out var nextLength);
            after += nextLength;
            if (!IsCaseIgnorable(next))
            {
                return !IsCased(next);
            }
        }
        return true;
    }

    private static bool IsCaseIgnorable(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
            or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol
        || rune.Value is '\'' or '.' or ':' or 0x00B7 or 0x0387 or 0x055F or 0x05F4 or 0x2018 or 0x2019 or 0x2024 or 0x2027
            or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A;

    // Cased = Lowercase or Uppercase property: the cased letter categories plus a few symbols, numerals and ordinals.
    private static bool IsCased(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
        || rune.Value is 0x00AA or 0x00BA or (>= 0x2160 and <= 0x217F) or (>= 0x24B6 and <= 0x24E9)
            or (>= 0x1F130 and <= 0x1F149) or (>= 0x1F150 and <= 0x1F169) or (>= 0x1F170 and <= 0x1F189);

    private static string ReplaceLoneSurrogates(string text)
    {
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            return text;
        }
        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var lone = char.IsHighSurrogate(c)
                ? i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])
                : char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(text[i - 1]));
            if (lone)
            {
                builder ??= new StringBuilder(text, 0, i, text.Length);
                builder.Append('\uFFFD');
            }
            else
            {
                builder?.Append(c);
            }
        }
        return builder?.ToString() ?? text;
    }

    private static string CleanLikeBasicTokenizer(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value is 0 or 0xFFFD || IsControl(rune))
            {
                continue;
            }
            if (rune.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator)
            {
                builder.Append(' ');
            }
            else if (IsCjkIdeograph(rune.Value))
            {
                builder.Append(' ').Append(rune.ToString()).Append(' ');
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }
        return builder.ToString();
    }

    private static bool IsControl(Rune rune)
    {
        if (rune.Value is '\t' or '\n' or '\r')
        {
            return false;
        }
        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;
    }

    // The "Chinese character" blocks of BERT's BasicTokenizer (CJK Unified Ideographs and extensions, compatibility ideographs).
    private static bool IsCjkIdeograph(int cp) =>
        cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF)
            or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B820 and <= 0x2CEAF)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);
}
