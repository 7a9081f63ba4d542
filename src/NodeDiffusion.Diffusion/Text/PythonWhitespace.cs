namespace NodeDiffusion.Diffusion.Text;

/// <summary>
/// Python's <c>str.isspace()</c> set, used by <c>str.split()</c>, <c>str.strip()</c>, <c>float()</c> and the <c>re</c>
/// module's <c>\s</c>: .NET's white space plus the information separators U+001C–U+001F.
/// </summary>
public static class PythonWhitespace
{
    public const string RegexClass = @"[\s\x1C-\x1F]";

    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';

    public static string Strip(string text) => text.AsSpan().Trim(Characters).ToString();

    /// <summary>Like Python's <c>str.split()</c> without arguments: runs of white space separate, empty parts are dropped.</summary>
    public static string[] Split(string text) => text.Split(Characters, StringSplitOptions.RemoveEmptyEntries);

    private static readonly char[] Characters = BuildCharacters();

    private static char[] BuildCharacters()
    {
        var characters = new List<char>();
        for (var c = 0; c <= char.MaxValue; c++)
        {
            if (IsSpace((char)c))
            {
                characters.Add((char)c);
            }
        }
        return [.. characters];
    }
}
