namespace NodeDiffusion.Diffusion.Text;

/// <summary>How raw text is cleaned before the CLIP pre-tokenizer splits it.</summary>
public enum ClipTextCleaning
{
    /// <summary>
    /// HF <c>tokenizers</c> (CLIPTokenizerFast, diffusers): NFC, lower-case; control characters are kept as byte tokens.
    /// This is what the reference test vectors were generated with.
    /// </summary>
    HuggingFaceFast,

    /// <summary>
    /// HF slow CLIPTokenizer without ftfy, which is what ComfyUI runs: additionally drops control and format characters
    /// (including U+0000, U+FFFD and the emoji zero-width joiner) and makes every CJK ideograph its own word.
    /// </summary>
    BasicTokenizer,
}
