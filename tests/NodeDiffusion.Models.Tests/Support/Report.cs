namespace NodeDiffusion.Models.Tests.Support;

public static class Report
{
    /// <summary>A measured number, visible in the test output and as a diagnostic message.</summary>
    public static void Line(string text)
    {
        TestContext.Current.SendDiagnosticMessage(text);
        TestContext.Current.TestOutputHelper?.WriteLine(text);
    }
}
