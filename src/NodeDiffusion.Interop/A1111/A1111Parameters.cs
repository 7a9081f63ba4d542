namespace NodeDiffusion.Interop.A1111;

/// <summary>
/// The generation parameters A1111 (and Forge, SD.Next) write into a PNG's <c>parameters</c> text:
/// the prompt, the negative prompt, and the "Key: value, …" settings line, in the order written.
/// </summary>
public sealed record A1111Parameters(string Prompt, string NegativePrompt, IReadOnlyList<KeyValuePair<string, string>> Settings)
{
    public string? Get(string key) => Settings.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
}
