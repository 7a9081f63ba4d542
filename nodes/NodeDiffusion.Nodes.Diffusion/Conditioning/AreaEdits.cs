using NodeDiffusion.Nodes.Diffusion.Values;

namespace NodeDiffusion.Nodes.Diffusion.Conditioning;

internal static class AreaEdits
{
    public static ConditioningList Set(ConditioningList conditioning, ConditioningArea area, double strength) =>
        new(conditioning.Entries.Select(e => e with { Area = area, Strength = strength }).ToList());
}
