using CloudNonce.Engine.Platform;
using ScottPlot;

namespace CloudNonce.Engine.Performance;

/// <summary>The scaling curve of an EC2 performance test as a PNG: nonces per second against the
/// number of instances for each instance type, the ideal line (the one-instance rate times N) dashed
/// beside it, and the efficiency on a second axis.</summary>
public static class ScalingChart
{
    public const int DefaultWidth = 900;
    public const int DefaultHeight = 560;

    public static void Save(IReadOnlyList<Ec2PerformanceSample> samples, string path, int width = DefaultWidth, int height = DefaultHeight)
    {
        if (samples.Count == 0) throw new ArgumentException("There is nothing to draw: no samples.", nameof(samples));
        DependencyNativeLibraries.Register();
        using var plot = new Plot();
        plot.Title("CloudNonce on EC2: throughput against fleet size");
        plot.XLabel("Instances (VMs)");
        plot.YLabel("Million nonces per second");
        var efficiencyAxis = plot.Axes.Right;
        efficiencyAxis.Label.Text = "Efficiency (%)";

        var palette = new ScottPlot.Palettes.Category10();
        var index = 0;
        foreach (var series in samples.GroupBy(s => s.InstanceType, StringComparer.OrdinalIgnoreCase))
        {
            var points = series.OrderBy(s => s.VMs).ToArray();
            var vms = points.Select(p => (double)p.VMs).ToArray();
            var color = palette.GetColor(index++);

            var measured = plot.Add.Scatter(vms, points.Select(p => p.NoncesPerSecond / 1e6).ToArray(), color);
            measured.LegendText = $"{series.Key} measured";
            measured.LineWidth = 2;
            measured.MarkerSize = 8;

            var perInstance = points[0].NoncesPerSecond / points[0].VMs / 1e6;
            var ideal = plot.Add.Scatter(vms, vms.Select(n => n * perInstance).ToArray(), color);
            ideal.LegendText = $"{series.Key} ideal (linear)";
            ideal.LinePattern = LinePattern.Dashed;
            ideal.MarkerSize = 0;

            var efficiency = plot.Add.Scatter(vms, points.Select(p => p.Efficiency * 100).ToArray(), color.WithAlpha(0.6));
            efficiency.LegendText = $"{series.Key} efficiency";
            efficiency.LinePattern = LinePattern.Dotted;
            efficiency.MarkerShape = MarkerShape.OpenSquare;
            efficiency.Axes.YAxis = efficiencyAxis;
        }

        // Both y axes from zero, so the gap to the ideal line reads as a proportion; x ticks only at
        // the fleet sizes measured (there is no such thing as 1.5 instances).
        var top = samples.GroupBy(s => s.InstanceType, StringComparer.OrdinalIgnoreCase)
            .Max(g => Math.Max(g.Max(s => s.NoncesPerSecond), g.Max(s => s.VMs) * g.MinBy(s => s.VMs)!.NoncesPerSecond / g.MinBy(s => s.VMs)!.VMs)) / 1e6;
        plot.Axes.SetLimitsY(0, top * 1.15, plot.Axes.Left);
        plot.Axes.SetLimitsY(0, Math.Max(110, samples.Max(s => s.Efficiency * 100) * 1.1), efficiencyAxis);
        var sizes = samples.Select(s => s.VMs).Distinct().Order().ToArray();
        plot.Axes.SetLimitsX(sizes[0] - 0.5, sizes[^1] + 0.5);
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var n in sizes) ticks.AddMajor(n, n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.ShowLegend(Alignment.LowerRight);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        plot.SavePng(full, width, height);
    }
}
