namespace NodeDiffusion.Diffusion.Text;

/// <summary>Settings of a <see cref="PromptTokenizer"/>; the defaults are ComfyUI's SD1 CLIP-L settings.</summary>
public sealed record PromptTokenizerOptions
{
    public static PromptTokenizerOptions ComfyUI { get; } = new();

    public static PromptTokenizerOptions A1111(bool restoreMean = true) => new()
    {
        Syntax = PromptSyntax.A1111,
        Weighting = restoreMean ? TokenWeightingMethod.MultiplyRestoringMean : TokenWeightingMethod.Multiply,
    };

    public PromptSyntax Syntax { get; init; } = PromptSyntax.ComfyUI;

    /// <summary>How the encoder should apply the weights; carried through to <see cref="TokenizedPrompt.Weighting"/>.</summary>
    public TokenWeightingMethod Weighting { get; init; } = TokenWeightingMethod.LerpFromEmpty;

    /// <summary>Positions per chunk including BOS and EOS (77 for CLIP).</summary>
    public int ChunkLength
    {
        get;
        init => field = value >= 3 ? value : throw new ArgumentOutOfRangeException(nameof(ChunkLength), value, "A chunk needs room for BOS, one token and EOS.");
    } = 77;

    /// <summary>A word group at least this long may be split across chunks; shorter ones move whole to the next chunk (ComfyUI: 8).</summary>
    public int MinSplittableGroupLength
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MinSplittableGroupLength), value, "Must be at least 1.");
    } = 8;

    /// <summary>
    /// The id that fills chunks after EOS. Null pads with EOS (SD1 CLIP-L, as ComfyUI and diffusers do);
    /// SD2's OpenCLIP-H and SDXL's CLIP-G pad with 0.
    /// </summary>
    public int? PadTokenId { get; init; }

    /// <summary>The token vector size of the text encoder (768 for SD1); embeddings of another size are ignored with a warning. Null accepts any.</summary>
    public int? EmbeddingDimension { get; init; }
}
