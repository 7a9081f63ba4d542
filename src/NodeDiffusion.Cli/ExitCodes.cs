namespace NodeDiffusion.Cli;

/// <summary>Process exit codes: scripts rely on them.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>Only for an unexpected internal failure.</summary>
    public const int InternalError = 1;
    /// <summary>An invalid workflow or bad input; the errors are printed.</summary>
    public const int InvalidInput = 2;
}
