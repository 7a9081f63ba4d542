namespace NodeDiffusion.Models.Runtime;

public enum ExecutionDevice
{
    Cpu,
    Cuda,
}
