using System.Reflection;
using Cordon.ControlPlane.Scheduling;
using Cordon.TestSupport;

namespace Cordon.ControlPlane.Tests.Docs;

/// <summary>
/// docs/CONFIGURATION.md lists every <c>Cordon:*</c> setting of the control plane with its default: each options
/// class with a <c>SectionName</c> is found by reflection, so a new setting or a changed default fails here until the
/// table says so (<c>CORDON_UPDATE_CONFIG=1</c> rewrites keys and defaults, keeping the descriptions).
/// </summary>
public sealed class ConfigurationReferenceTests
{
    [Fact]
    public void ControlPlaneTable_IsEverySettingWithItsDefault()
    {
        var rows = new List<(string Key, string Default)> { ("Cordon:DataDir", "`$CORDON_DATA_DIR` or `.cordon`") };
        var options = typeof(SchedulingOptions).Assembly.GetTypes()
            .Select(t => (Type: t, Section: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            .Where(o => o.Section?.StartsWith("Cordon:", StringComparison.Ordinal) == true)
            .OrderBy(o => o.Section, StringComparer.Ordinal);
        foreach (var (type, section) in options)
        {
            // The runners are bound at Cordon:Runners, beside the scheduling section, not inside it.
            rows.AddRange(ConfigurationReference.Rows(section!, type, nameof(SchedulingOptions.Runners)));
        }

        rows.AddRange(ConfigurationReference.Rows("Cordon:Runners:N", typeof(RunnerEndpointOptions)));
        Assert.True(rows.Count > 40, $"only {rows.Count} settings found");
        var problems = ConfigurationReference.Check(RepoPaths.Combine("docs", "CONFIGURATION.md"), "control-plane", rows);
        Assert.Null(problems);
    }
}
