using NodeDiffusion.Models.Runtime;

namespace NodeDiffusion.Models.Tests.Support;

public static class Sessions
{
    public static readonly SessionFactory CpuFactory = new(new SessionOptionsSpec(PreferCuda: false));
}
