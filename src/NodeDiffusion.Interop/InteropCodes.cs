namespace NodeDiffusion.Interop;

/// <summary>The stable codes of <see cref="InteropIssue"/>.</summary>
public static class InteropCodes
{
    public const string MissingNodeType = "missing_node_type";
    public const string UnknownInput = "unknown_input";
    public const string WidgetCountMismatch = "widget_count_mismatch";
    public const string LinkDropped = "link_dropped";
    public const string NodeDropped = "node_dropped";
    public const string ValueOnLinkInput = "value_on_link_input";
    public const string ModelRenamed = "model_renamed";
    public const string SemanticChange = "semantic_change";
    public const string UnsupportedMode = "unsupported_mode";
    public const string UnsupportedFeature = "unsupported_feature";
    public const string TooLarge = "too_large";
    public const string ExtraNetwork = "extra_network";
    public const string LegacyRewired = "legacy_rewired";
    public const string DefaultFilled = "default_filled";
    public const string ValueNotExported = "value_not_exported";
}
