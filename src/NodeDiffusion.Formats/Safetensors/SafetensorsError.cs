namespace NodeDiffusion.Formats.Safetensors;

/// <summary>What is wrong with a safetensors file; names follow the reference implementation's error variants.</summary>
public enum SafetensorsError
{
    HeaderTooSmall,
    HeaderTooLarge,
    InvalidHeaderLength,
    InvalidHeader,
    InvalidHeaderDeserialization,
    UnknownDType,
    TensorInvalidInfo,
    InvalidOffset,
    ValidationOverflow,
    MetadataIncompleteBuffer,
    TensorNotFound,
}
