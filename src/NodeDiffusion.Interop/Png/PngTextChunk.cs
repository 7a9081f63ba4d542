namespace NodeDiffusion.Interop.Png;

/// <summary>One keyword → text entry of a PNG (tEXt, zTXt or iTXt), already decompressed and decoded.</summary>
public sealed record PngTextChunk(string Keyword, string Text, string ChunkType);
