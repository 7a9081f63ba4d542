namespace NodeDiffusion.Models.Weights;

/// <summary>
/// Hands parameters to a graph under construction, checking each shape, and afterwards reports every missing or
/// unexpected key at once.
/// </summary>
public sealed class WeightBinder(IWeightSource source)
{
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly List<string> _problems = [];

    public IWeightSource Source { get; } = source;

    /// <summary>True when only recording expected parameters (<see cref="WeightManifest"/>).</summary>
    public bool IsDryRun => Source is WeightManifest;

    /// <summary>The parameter, or null after recording the problem (so that one build reports all problems).</summary>
    public WeightTensor? Take(string name, long[] expectedShape)
    {
        _used.Add(name);
        if (Source is WeightManifest manifest)
        {
            manifest.Record(name, expectedShape);
            return null;
        }
        if (!Source.Contains(name))
        {
            _problems.Add($"missing weight '{name}' (expected shape [{string.Join(", ", expectedShape)}])");
            return null;
        }
        var shape = Source.GetShape(name);
        if (!shape.SequenceEqual(expectedShape))
        {
            _problems.Add($"weight '{name}' has shape [{string.Join(", ", shape)}], expected [{string.Join(", ", expectedShape)}]");
            return null;
        }
        return Source.Read(name);
    }

    /// <summary>Marks names the architecture knowingly ignores (e.g. stale <c>position_ids</c> buffers).</summary>
    public void Ignore(string name) => _used.Add(name);

    /// <summary>Throws if anything was missing or misshapen, or if the source holds keys the architecture did not use.</summary>
    public void Complete(Func<string, bool>? belongsToOtherModel = null)
    {
        var unexpected = Source.Names
            .Where(n => !_used.Contains(n) && !(belongsToOtherModel?.Invoke(n) ?? false))
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();
        if (_problems.Count == 0 && unexpected.Count == 0)
        {
            return;
        }
        var lines = _problems.ToList();
        lines.AddRange(unexpected.Select(n => $"unexpected weight '{n}'"));
        const int shown = 40;
        var text = string.Join(Environment.NewLine, lines.Take(shown));
        if (lines.Count > shown)
        {
            text += Environment.NewLine + $"... and {lines.Count - shown} more";
        }
        throw new WeightBindingException($"weights in {Source.Description} do not fit the architecture ({lines.Count} problems):{Environment.NewLine}{text}");
    }
}
