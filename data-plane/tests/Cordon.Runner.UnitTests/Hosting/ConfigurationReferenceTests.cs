using Cordon.Runner.Configuration;
using Cordon.Runner.Dependencies;
using Cordon.Runner.Egress;
using Cordon.TestSupport;

namespace Cordon.Runner.UnitTests.Hosting;

/// <summary>docs/CONFIGURATION.md lists every <c>Cordon:*</c> setting of the runner with its default.</summary>
public sealed class ConfigurationReferenceTests
{
    [Fact]
    public void RunnerTable_IsEverySettingWithItsDefault()
    {
        var rows = new List<(string Key, string Default)>();
        foreach (var row in ConfigurationReference.Rows(RunnerOptions.SectionName, typeof(RunnerOptions)))
        {
            // The data directory's default follows CORDON_DATA_DIR; the table says so instead of this machine's value.
            rows.Add(row.Key == "Cordon:Runner:DataDir" ? (row.Key, "`$CORDON_DATA_DIR/runner` or `.cordon/runner`") : row);
        }

        rows.AddRange(ConfigurationReference.Rows(EgressOptions.SectionName, typeof(EgressOptions)));
        rows.AddRange(ConfigurationReference.Rows(DependencyOptions.SectionName, typeof(DependencyOptions)));
        var problems = ConfigurationReference.Check(RepoPaths.Combine("docs", "CONFIGURATION.md"), "runner", rows);
        Assert.Null(problems);
    }
}
