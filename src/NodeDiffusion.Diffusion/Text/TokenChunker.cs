namespace NodeDiffusion.Diffusion.Text;

/// <summary>
/// Packs word groups into chunks exactly as ComfyUI's <c>SDTokenizer.tokenize_with_weights</c>: a group that does not fit
/// the current chunk is split across the boundary when it is long (≥ <c>MinSplittableGroupLength</c>), otherwise the
/// current chunk is closed (EOS, padding) and the group starts the next one.
/// </summary>
internal sealed class TokenChunker
{
    private readonly int _chunkLength;
    private readonly int _minSplittableGroupLength;
    private readonly PromptToken _bos;
    private readonly PromptToken _eos;
    private readonly PromptToken _pad;
    private readonly List<TokenChunk> _chunks = [];
    private readonly List<PromptToken> _current;

    public TokenChunker(int chunkLength, int minSplittableGroupLength, PromptToken bos, PromptToken eos, PromptToken pad)
    {
        if (minSplittableGroupLength > chunkLength - 2)
        {
            throw new ArgumentOutOfRangeException(nameof(minSplittableGroupLength), minSplittableGroupLength,
                $"Groups shorter than this are never split, so it must fit a chunk's {chunkLength - 2} content positions.");
        }
        _chunkLength = chunkLength;
        _minSplittableGroupLength = minSplittableGroupLength;
        (_bos, _eos, _pad) = (bos, eos, pad);
        _current = new List<PromptToken>(chunkLength) { bos };
    }

    public void AddGroup(IReadOnlyList<PromptToken> group)
    {
        var splittable = group.Count >= _minSplittableGroupLength;
        var start = 0;
        while (start < group.Count)
        {
            var pending = group.Count - start;
            var room = _chunkLength - 1 - _current.Count;
            if (pending <= room)
            {
                for (var i = start; i < group.Count; i++)
                {
                    _current.Add(group[i]);
                }
                return;
            }
            if (splittable)
            {
                for (var i = 0; i < room; i++)
                {
                    _current.Add(group[start + i]);
                }
                start += room;
            }
            CloseChunk();
        }
    }

    /// <summary>Ends the current chunk here (A1111 <c>BREAK</c>).</summary>
    public void Break() => CloseChunk();

    public IReadOnlyList<TokenChunk> Finish()
    {
        if (_current.Count > 1 || _chunks.Count == 0)
        {
            CloseChunk();
        }
        return _chunks;
    }

    private void CloseChunk()
    {
        _current.Add(_eos);
        while (_current.Count < _chunkLength)
        {
            _current.Add(_pad);
        }
        _chunks.Add(TokenChunk.FromTokens(_current));
        _current.Clear();
        _current.Add(_bos);
    }
}
