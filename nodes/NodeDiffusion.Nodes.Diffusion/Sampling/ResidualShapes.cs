using System.Globalization;
using NodeDiffusion.Models.Architectures.Unet;

namespace NodeDiffusion.Nodes.Diffusion.Sampling;

/// <summary>The sample shape of a crop and the shapes of the ControlNet residuals (= the UNet's skip tensors) for it.</summary>
internal sealed record ResidualShapes((int Batch, int Channels, int Height, int Width) Sample, Dictionary<string, long[]> All)
{
    public static ResidualShapes For(UNet2DConditionConfig unet, int batch, int height, int width)
    {
        var levels = new List<(int H, int W)> { (height, width) };
        for (var i = 1; i < unet.BlockOutChannels.Length; i++)
        {
            var (h, w) = levels[^1];
            levels.Add(((h + 1) / 2, (w + 1) / 2));
        }
        var all = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var index = 0;
        void Add(int channels, (int H, int W) size) =>
            all[string.Format(CultureInfo.InvariantCulture, UNet2DConditionGraph.DownResidualFormat, index++)] = [batch, channels, size.H, size.W];
        Add(unet.BlockOutChannels[0], levels[0]);
        for (var i = 0; i < unet.BlockOutChannels.Length; i++)
        {
            for (var j = 0; j < unet.LayersPerBlock; j++)
            {
                Add(unet.BlockOutChannels[i], levels[i]);
            }
            if (i < unet.BlockOutChannels.Length - 1)
            {
                Add(unet.BlockOutChannels[i], levels[i + 1]);
            }
        }
        all[UNet2DConditionGraph.MidResidual] = [batch, unet.BlockOutChannels[^1], levels[^1].H, levels[^1].W];
        return new ResidualShapes((batch, unet.InChannels, height, width), all);
    }
}
