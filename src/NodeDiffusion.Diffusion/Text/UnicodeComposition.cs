using System.Text;

namespace NodeDiffusion.Diffusion.Text;

/// <summary>Unicode NFC (canonical decomposition, canonical ordering, canonical composition) over built-in tables.</summary>
public static class UnicodeComposition
{
    private const int HangulSBase = 0xAC00, HangulLBase = 0x1100, HangulVBase = 0x1161, HangulTBase = 0x11A7;
    private const int HangulLCount = 19, HangulVCount = 21, HangulTCount = 28;
    private const int HangulNCount = HangulVCount * HangulTCount, HangulSCount = HangulLCount * HangulNCount;

    private static readonly Dictionary<int, (int First, int Second)> DecompositionMap = BuildDecompositions();
    private static readonly Dictionary<long, int> CompositionMap = BuildCompositions();
    private static readonly Dictionary<int, byte> CombiningClasses = BuildCombiningClasses();

    /// <summary>The NFC form of <paramref name="text"/>; lone surrogates are left as they are.</summary>
    public static string ToNfc(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IsTriviallyComposed(text))
        {
            return text;
        }

        var decomposed = new List<int>(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            int cp = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                cp = char.ConvertToUtf32(text[i], text[i + 1]);
                i++;
            }
            Decompose(cp, decomposed);
        }
        SortCombiningMarks(decomposed);
        Compose(decomposed);

        var builder = new StringBuilder(decomposed.Count);
        foreach (var cp in decomposed)
        {
            if (cp is >= 0xD800 and <= 0xDFFF)
            {
                builder.Append((char)cp);
            }
            else
            {
                builder.Append(char.ConvertFromUtf32(cp));
            }
        }
        return builder.ToString();
    }

    /// <summary>The canonical combining class of <paramref name="codePoint"/> (0 for starters).</summary>
    public static int CombiningClass(int codePoint) => CombiningClasses.TryGetValue(codePoint, out var c) ? c : 0;

    // Nothing below U+0300 changes under NFC or composes with a preceding character.
    private static bool IsTriviallyComposed(string text) => text.AsSpan().IndexOfAnyInRange('\u0300', '\uFFFF') < 0;

    private static void Decompose(int cp, List<int> output)
    {
        var sIndex = cp - HangulSBase;
        if (sIndex is >= 0 and < HangulSCount)
        {
            output.Add(HangulLBase + sIndex / HangulNCount);
            output.Add(HangulVBase + sIndex % HangulNCount / HangulTCount);
            if (sIndex % HangulTCount != 0)
            {
                output.Add(HangulTBase + sIndex % HangulTCount);
            }
            return;
        }
        if (DecompositionMap.TryGetValue(cp, out var parts))
        {
            Decompose(parts.First, output);
            if (parts.Second != 0)
            {
                Decompose(parts.Second, output);
            }
            return;
        }
        output.Add(cp);
    }

    // Stable insertion sort of each run of non-starters by combining class.
    private static void SortCombiningMarks(List<int> cps)
    {
        for (var i = 1; i < cps.Count; i++)
        {
            var cls = CombiningClass(cps[i]);
            if (cls == 0)
            {
                continue;
            }
            var j = i;
            while (j > 0 && CombiningClass(cps[j - 1]) > cls)
            {
                (cps[j - 1], cps[j]) = (cps[j], cps[j - 1]);
                j--;
            }
        }
    }

    private static void Compose(List<int> cps)
    {
        if (cps.Count == 0)
        {
            return;
        }
        var starterIndex = CombiningClass(cps[0]) == 0 ? 0 : -1;
        var lastClass = starterIndex == 0 ? 0 : 256;
        var write = 1;
        for (var read = 1; read < cps.Count; read++)
        {
            var cp = cps[read];
            var cls = CombiningClass(cp);
            if (starterIndex >= 0 && (lastClass < cls || lastClass == 0) && TryCompose(cps[starterIndex], cp, out var composite))
            {
                cps[starterIndex] = composite;
                continue;
            }
            if (cls == 0)
            {
                starterIndex = write;
            }
            lastClass = cls;
            cps[write++] = cp;
        }
        cps.RemoveRange(write, cps.Count - write);
    }

    private static bool TryCompose(int first, int second, out int composite)
    {
        var lIndex = first - HangulLBase;
        var vIndex = second - HangulVBase;
        if (lIndex is >= 0 and < HangulLCount && vIndex is >= 0 and < HangulVCount)
        {
            composite = HangulSBase + (lIndex * HangulVCount + vIndex) * HangulTCount;
            return true;
        }
        var sIndex = first - HangulSBase;
        var tIndex = second - HangulTBase;
        if (sIndex is >= 0 and < HangulSCount && sIndex % HangulTCount == 0 && tIndex is > 0 and < HangulTCount)
        {
            composite = first + tIndex;
            return true;
        }
        return CompositionMap.TryGetValue(PairKey(first, second), out composite);
    }

    private static long PairKey(int first, int second) => ((long)first << 21) | (uint)second;

    private static Dictionary<int, (int, int)> BuildDecompositions()
    {
        var data = UnicodeCompositionData.Decompositions;
        var map = new Dictionary<int, (int, int)>(data.Length / 3);
        for (var i = 0; i < data.Length; i += 3)
        {
            map[data[i]] = (data[i + 1], data[i + 2]);
        }
        return map;
    }

    private static Dictionary<long, int> BuildCompositions()
    {
        var data = UnicodeCompositionData.Compositions;
        var map = new Dictionary<long, int>(data.Length / 3);
        for (var i = 0; i < data.Length; i += 3)
        {
            map[PairKey(data[i], data[i + 1])] = data[i + 2];
        }
        return map;
    }

    private static Dictionary<int, byte> BuildCombiningClasses()
    {
        var data = UnicodeCompositionData.CombiningClassRanges;
        var map = new Dictionary<int, byte>();
        for (var i = 0; i < data.Length; i += 3)
        {
            for (var cp = data[i]; cp <= data[i + 1]; cp++)
            {
                map[cp] = (byte)data[i + 2];
            }
        }
        return map;
    }
}
