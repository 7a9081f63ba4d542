namespace NodeDiffusion.Models.Weights;

/// <summary>
/// A weight source whose missing names are filled from a base (a ControlNet that ships only its own tensors borrows
/// the trunk of its UNet). Names of the base are exposed only when <c>fromBase</c> accepts them.
/// </summary>
public sealed class OverlayWeightSource : IWeightSource
{
    private readonly IWeightSource _top;
    private readonly IWeightSource _base;
    private readonly HashSet<string> _names;

    public OverlayWeightSource(IWeightSource top, IWeightSource @base, Func<string, bool> fromBase)
    {
        _top = top;
        _base = @base;
        _names = [.. top.Names, .. @base.Names.Where(fromBase)];
        Description = $"{top.Description} (missing tensors from {@base.Description})";
    }

    public IReadOnlyCollection<string> Names => _names;

    public string Description { get; }

    public bool Contains(string name) => _names.Contains(name);

    public long[] GetShape(string name) => Owner(name).GetShape(name);

    public WeightTensor Read(string name) => Owner(name).Read(name);

    private IWeightSource Owner(string name) =>
        _top.Contains(name) ? _top
        : _names.Contains(name) ? _base
        : throw new WeightBindingException($"missing weight '{name}' in {Description}");
}
