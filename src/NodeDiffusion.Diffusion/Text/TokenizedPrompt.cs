using System.Globalization;
using System.Text;

namespace NodeDiffusion.Diffusion.Text;

/// <summary>A prompt turned into encoder chunks, with the weights and embedding references per position.</summary>
/// <param name="Chunks">One or more chunks, encoded separately and concatenated along the token axis.</param>
/// <param name="Warnings">Problems that did not stop tokenization, e.g. an embedding that was not found.</param>
/// <param name="Weighting">How the encoder applies <see cref="TokenChunk.Weights"/>.</param>
public sealed record TokenizedPrompt(IReadOnlyList<TokenChunk> Chunks, IReadOnlyList<string> Warnings, TokenWeightingMethod Weighting)
{
    /// <summary>Whether some weight differs from 1; ComfyUI then also encodes the empty prompt for <see cref="TokenWeightingMethod.LerpFromEmpty"/>.</summary>
    public bool HasWeights => Chunks.Any(c => c.HasWeights);

    /// <summary>Whether the encoder must also encode <see cref="PromptTokenizer.EmptyChunk"/> to apply the weights.</summary>
    public bool NeedsEmptyPromptEncoding => Weighting == TokenWeightingMethod.LerpFromEmpty && HasWeights;

    public bool HasEmbeddings => Chunks.Any(c => c.HasEmbeddings);

    /// <summary>Prompt tokens over all chunks, without BOS, EOS and padding.</summary>
    public int ContentTokenCount => Chunks.Sum(c => c.ContentTokenCount);

    /// <summary>All ids, chunk after chunk (length = chunks × chunk length).</summary>
    public int[] AllIds() => [.. Chunks.SelectMany(c => c.Ids)];

    /// <summary>A plain-text table: one line per position with chunk, position, id, weight and token string; padding is summarised.</summary>
    public string Format()
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"{Chunks.Count} chunk(s), {ContentTokenCount} prompt token(s), weighting {Weighting}").AppendLine();
        foreach (var warning in Warnings)
        {
            builder.Append("warning: ").AppendLine(warning);
        }
        for (var c = 0; c < Chunks.Count; c++)
        {
            var chunk = Chunks[c];
            var lastContent = Array.FindLastIndex(chunk.GroupIds, g => g != 0);
            var shown = Math.Min(chunk.Length, Math.Max(lastContent + 2, 2));
            builder.Append(CultureInfo.InvariantCulture, $"chunk {c}:").AppendLine();
            for (var p = 0; p < shown; p++)
            {
                var token = chunk[p];
                builder.Append(CultureInfo.InvariantCulture, $"  {p,2} {token.Id,6} {token.Weight,8:0.####} {token.Text}").AppendLine();
            }
            if (shown < chunk.Length)
            {
                builder.Append(CultureInfo.InvariantCulture, $"  {shown,2}..{chunk.Length - 1} padding {chunk.Ids[shown]}").AppendLine();
            }
        }
        return builder.ToString();
    }
}
