namespace NodeDiffusion.Models.Weights.Lora;

/// <summary>
/// One low-rank update: <c>Target</c> (a parameter name, e.g. <c>…attn1.to_q.weight</c>) += strength · Scale · Up·Down,
/// with Up [out, r(, 1, 1)] and Down [r, in(, kh, kw)].
/// </summary>
public sealed record LoraModule(string Target, WeightTensor Down, WeightTensor Up, float Scale)
{
    public long Rank => Down.Shape[0];
}

/// <summary>The modules of one LoRA file that apply to one model component.</summary>
public sealed record LoraNetwork(string Source, IReadOnlyList<LoraModule> Modules);
