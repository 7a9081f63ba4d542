namespace NodeDiffusion.Interop.Png;

/// <summary>Bounds on what the PNG metadata reader accepts, so a hostile file cannot exhaust memory or time.</summary>
public sealed record PngReadLimits
{
    /// <summary>The largest text chunk read into memory (compressed size).</summary>
    public int MaxTextChunkBytes { get; init; } = 32 * 1024 * 1024;
    /// <summary>The largest text one chunk may decompress to (a zlib bomb stops here).</summary>
    public int MaxDecompressedBytes { get; init; } = 32 * 1024 * 1024;
    /// <summary>The most text, over all chunks, that is kept.</summary>
    public long MaxTotalTextBytes { get; init; } = 64L * 1024 * 1024;
    public int MaxChunks { get; init; } = 100_000;
    /// <summary>Checks the CRC of every text chunk; a mismatch is reported as corruption.</summary>
    public bool VerifyCrc { get; init; } = true;

    public static PngReadLimits Default { get; } = new();
}
