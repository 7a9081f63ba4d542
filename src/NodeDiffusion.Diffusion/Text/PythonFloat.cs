using System.Globalization;
using System.Text;

namespace NodeDiffusion.Diffusion.Text;

/// <summary>Parses numbers the way Python's <c>float(str)</c> does, since prompt weights are parsed with it upstream.</summary>
public static class PythonFloat
{
    public static bool TryParse(string text, out double value)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = ToAsciiDigits(PythonWhitespace.Strip(text));
        var unsigned = trimmed.TrimStart('+', '-');
        var negative = trimmed.StartsWith('-');
        if (trimmed.Length - unsigned.Length <= 1)
        {
            switch (unsigned.ToLowerInvariant())
            {
                case "inf" or "infinity":
                    value = negative ? double.NegativeInfinity : double.PositiveInfinity;
                    return true;
                case "nan":
                    value = double.NaN;
                    return true;
            }
        }
        value = 0;
        if (trimmed.Length == 0 || !HasOnlyNumberCharacters(trimmed) || !TryRemoveDigitSeparators(trimmed, out var plain))
        {
            return false;
        }
        return double.TryParse(plain, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out value);
    }

    // Python accepts any Unicode decimal digit: "١٢" is 12.0.
    private static string ToAsciiDigits(string text)
    {
        if (Ascii.IsValid(text))
        {
            return text;
        }
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.DecimalDigitNumber)
            {
                builder.Append((char)('0' + (int)Rune.GetNumericValue(rune)));
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }
        return builder.ToString();
    }

    private static bool HasOnlyNumberCharacters(string text)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiDigit(c) || c is '+' or '-' or '.' or 'e' or 'E' or '_'))
            {
                return false;
            }
        }
        return true;
    }

    // Python allows single underscores between digits ("1_000.5").
    private static bool TryRemoveDigitSeparators(string text, out string plain)
    {
        plain = text;
        if (!text.Contains('_'))
        {
            return true;
        }
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '_' && (i == 0 || i == text.Length - 1 || !char.IsAsciiDigit(text[i - 1]) || !char.IsAsciiDigit(text[i + 1])))
            {
                return false;
            }
        }
        plain = text.Replace("_", "", StringComparison.Ordinal);
        return true;
    }
}
