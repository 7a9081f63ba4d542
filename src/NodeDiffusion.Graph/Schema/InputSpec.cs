namespace NodeDiffusion.Graph.Schema;

/// <summary>
/// One input of a node. A link input carries a port type; a widget input (INT, FLOAT, STRING, BOOLEAN, COMBO)
/// has a literal value with a default and limits, and may also be fed by a link of its type.
/// Numeric limits are decimals so that u64 seeds and doubles are both exact.
/// </summary>
public sealed record InputSpec(
    string Name,
    string Type,
    bool IsWidget,
    bool Optional,
    Type ClrType,
    object? Default = null,
    decimal? Min = null,
    decimal? Max = null,
    decimal? Step = null,
    decimal? Round = null,
    bool Multiline = false,
    bool DynamicPrompts = false,
    bool ControlAfterGenerate = false,
    IReadOnlyList<string>? Options = null,
    string? OptionsSource = null,
    bool ImageUpload = false,
    string? Display = null,
    string? LabelOn = null,
    string? LabelOff = null,
    string? Tooltip = null);
