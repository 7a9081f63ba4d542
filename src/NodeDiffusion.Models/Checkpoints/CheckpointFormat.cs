namespace NodeDiffusion.Models.Checkpoints;

/// <summary>How a checkpoint is stored; all three give the same components to the nodes.</summary>
public enum CheckpointFormat
{
    /// <summary>A diffusers folder: per-component configs and safetensors (compiled by NodeDiffusion).</summary>
    Diffusers,

    /// <summary>One original-layout (ldm/A1111) .safetensors or .ckpt file (compiled by NodeDiffusion through the key map).</summary>
    SingleFile,

    /// <summary>A pre-exported ONNX folder (diffusers/Optimum layout): run as is, no weights to patch.</summary>
    Onnx,
}
