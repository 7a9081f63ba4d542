namespace NodeDiffusion.Graph.Validation;

/// <summary>The stable error codes of workflow validation; clients may switch on them.</summary>
public static class ValidationCodes
{
    public const string UnknownNodeType = "unknown_node_type";
    public const string UnknownInput = "unknown_input";
    public const string MissingRequiredInput = "missing_required_input";
    public const string TypeMismatch = "type_mismatch";
    public const string ValueOutOfRange = "value_out_of_range";
    public const string ValueNotInList = "value_not_in_list";
    public const string DanglingLink = "dangling_link";
    public const string Cycle = "cycle";
    public const string NoOutputs = "no_outputs";
    public const string InvalidJson = "invalid_json";
    public const string UnsupportedVersion = "unsupported_version";
    public const string TooLarge = "too_large";
}
