namespace NodeDiffusion.Cli.Commands;

/// <summary>What a model file is: its kind (checkpoint, lora, ...), the variant or family within it, and its key layout.</summary>
internal sealed record ModelIdentity(string Kind, string Variant, string Layout);
