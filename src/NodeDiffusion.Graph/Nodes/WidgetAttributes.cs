namespace NodeDiffusion.Graph.Nodes;

/// <summary>An INT widget. The CLR parameter may be int, long or ulong.</summary>
public sealed class IntAttribute(long defaultValue) : InputAttribute
{
    public long Default { get; } = defaultValue;
    public long Min { get; init; } = long.MinValue;
    public long Max { get; init; } = long.MaxValue;
    public long Step { get; init; } = 1;
    public bool ControlAfterGenerate { get; init; }
    /// <summary>"number" or "slider".</summary>
    public string? Display { get; init; }
}

/// <summary>A seed: INT over the full u64 range with ComfyUI's control_after_generate widget.</summary>
public sealed class SeedAttribute : InputAttribute
{
    public ulong Default { get; init; }
}

/// <summary>A FLOAT widget. The CLR parameter may be double or float.</summary>
public sealed class FloatAttribute(double defaultValue) : InputAttribute
{
    public double Default { get; } = defaultValue;
    public double Min { get; init; } = double.MinValue;
    public double Max { get; init; } = double.MaxValue;
    public double Step { get; init; } = 0.01;
    /// <summary>Rounding precision; NaN means none.</summary>
    public double Round { get; init; } = double.NaN;
    public string? Display { get; init; }
}

/// <summary>A STRING widget.</summary>
public sealed class TextAttribute(string defaultValue = "") : InputAttribute
{
    public string Default { get; } = defaultValue;
    public bool Multiline { get; init; }
    public bool DynamicPrompts { get; init; }
}

/// <summary>A BOOLEAN toggle.</summary>
public sealed class BooleanAttribute(bool defaultValue) : InputAttribute
{
    public bool Default { get; } = defaultValue;
    public string? LabelOn { get; init; }
    public string? LabelOff { get; init; }
}

/// <summary>A COMBO: a fixed list of options, or a named dynamic source such as "models/checkpoints".</summary>
public sealed class ComboAttribute(params string[] options) : InputAttribute
{
    public string[] Options { get; } = options;
    /// <summary>A dynamic option source resolved through <see cref="IComboOptionsProvider"/>.</summary>
    public string? Source { get; init; }
    public string? Default { get; init; }
    /// <summary>Shows ComfyUI's upload button for images.</summary>
    public bool ImageUpload { get; init; }
}
