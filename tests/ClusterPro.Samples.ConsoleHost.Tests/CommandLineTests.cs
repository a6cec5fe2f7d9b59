using ClusterPro.Samples.ConsoleHost;

namespace ClusterPro.Samples.ConsoleHost.Tests;

/// <summary>The command line itself: every command's own help, completions, and mistakes as exit 64 with each problem once.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Help_ListsEveryCommand_AndTheExitCodes()
    {
        var help = await ConsoleRun.RunAsync("--help");

        help.Code.Should().Be(0);
        help.Output.Should().ContainAll("run", "activate", "deactivate", "check", "doctor", "status", "witness-init", "iam-policy", "move", "standby", "unstandby", "maintenance", "cleanup", "Without a command: this help, exit 64", "clusterpro-emulator demo", "Exit 64");
        help.Output.Should().NotContain("  demo ", "the demos are the emulator's");
    }

    [Fact]
    public async Task NoCommand_PrintsTheHelp_AndExits64_RunningNothing()
    {
        var result = await ConsoleRun.RunAsync();

        result.Code.Should().Be(64);
        result.Output.Should().Contain("Commands:").And.Contain("run").And.Contain("check");
        result.Error.Trim().Should().Be("clusterpro: no command given; choose one of the commands above (clusterpro COMMAND --help). Exit 64.");
    }

    [Fact]
    public async Task Demo_IsNotACommandOfTheProductionTool()
    {
        var result = await ConsoleRun.RunAsync("demo");

        result.Code.Should().Be(64);
        result.Error.Should().Contain("'demo'");
    }

    [Fact]
    public void TheTool_NeedsTheDotNetRuntimeOnly_NoAspNetCore_NoEmulator()
    {
        var runtime = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "clusterpro.runtimeconfig.json"));
        var dependencies = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "clusterpro.deps.json"));

        runtime.Should().Contain("Microsoft.NETCore.App").And.NotContain("Microsoft.AspNetCore.App");
        dependencies.Should().NotContain("ClusterPro.Aws.Testing").And.NotContain("ARSoft").And.NotContain("BouncyCastle");
    }

    [Theory]
    [InlineData("run", "--config <FILE>", "--node <NAME>", "SIGTERM")]
    [InlineData("activate", "--config <FILE>", "--node <NAME>", "--group <GROUP>", "--timeout <SECONDS>")]
    [InlineData("deactivate", "--config <FILE>", "--node <NAME>", "--group <GROUP>")]
    [InlineData("check", "--config <FILE>", "--node <NAME>", "--output <text|json>", "--timeout <SECONDS>", "0: every monitor Normal, or not active here", "3 (unknown)")]
    [InlineData("doctor", "--config <FILE>", "--node <NAME>", "PASS / WARN / FAIL")]
    [InlineData("status", "--config <FILE>", "--node <NAME>", "--output <table|json>", "Exit 0: every group has exactly one owner", "2: an AWS call failed")]
    [InlineData("witness-init", "--config <FILE>", "partition key 'group'", "idempotent", "64: the configuration has no DynamoDB witness")]
    [InlineData("iam-policy", "--config <FILE>", "IAM policy")]
    [InlineData("move", "--config <FILE>", "--group <GROUP>", "--to <NODE>", "--timeout <SECONDS>", "no fencing", "Exit 0: done")]
    [InlineData("standby", "--config <FILE>", "--node <NAME>", "--force", "--timeout <SECONDS>", "across restarts")]
    [InlineData("unstandby", "--config <FILE>", "--node <NAME>", "--timeout <SECONDS>")]
    [InlineData("cleanup", "--config <FILE>", "--group <GROUP>", "recovery ladders")]
    public async Task Help_OfEachCommand_ShowsItsOwnOptions(string command, params string[] expected)
    {
        var help = await ConsoleRun.RunAsync(command, "--help");

        help.Code.Should().Be(0, help.Error);
        help.Output.Should().Contain($" {command} [options]").And.ContainAll(expected);
        help.Error.Should().BeEmpty();
    }

    [Fact]
    public async Task Help_OfMaintenance_ShowsItsSwitch()
    {
        var help = await ConsoleRun.RunAsync("maintenance", "--help");

        help.Code.Should().Be(0, help.Error);
        help.Output.Should().Contain(" maintenance <on|off> [options]").And.ContainAll("--config <FILE>", "--timeout <SECONDS>", "no failover");
    }

    [Fact]
    public async Task Maintenance_WithSomethingElseThanOnOrOff_Exits64()
    {
        var run = await ConsoleRun.RunAsync("maintenance", "maybe", "--config", "cluster.json");

        run.Code.Should().Be(64);
        run.Error.Should().Contain("maybe").And.Contain("on").And.Contain("off");
    }

    [Fact]
    public async Task SuggestDirective_CompletesCommandsAndOptions()
    {
        var commands = await ConsoleRun.RunAsync("[suggest]", "ch");
        var options = await ConsoleRun.RunAsync("[suggest:9]", "check --o");

        commands.Code.Should().Be(0);
        commands.Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Should().Equal("check");
        options.Output.Should().Contain("--output");
    }

    [Fact]
    public async Task MissingOptions_Exit64_EachProblemOnce_WithoutAStackTrace()
    {
        var result = await ConsoleRun.RunAsync("check", "--output", "xml");

        result.Code.Should().Be(64);
        result.Error.Should().Contain("Option '--node' is required.").And.Contain("'xml'").And.Contain("clusterpro check --help").And.NotContain("   at ");
        result.Error.Split('\n').Where(l => l.Contains("required", StringComparison.Ordinal)).Should().OnlyHaveUniqueItems().And.HaveCount(1, "--config has a default");
    }

    [Fact]
    public async Task Config_DefaultsToEtcClusterpro_NamedWhenItIsMissing()
    {
        var result = await ConsoleRun.RunAsync("iam-policy");

        result.Code.Should().Be(64);
        result.Error.Should().Contain("--config /etc/clusterpro/cluster.json: the file does not exist (the default); put the cluster's configuration there, or give --config FILE.");
    }

    [Fact]
    public async Task UnknownCommand_Exits64()
    {
        var result = await ConsoleRun.RunAsync("frobnicate");

        result.Code.Should().Be(64);
        result.Error.Should().Contain("'frobnicate'").And.Contain("clusterpro --help");
    }

    [Fact]
    public async Task UnknownOutputFormat_Exits64_NamingTheChoices()
    {
        var result = await ConsoleRun.RunAsync("check", "--config", "cluster.json", "--node", "node1", "--output", "xml");

        result.Code.Should().Be(64);
        result.Error.Should().Contain("'xml'").And.Contain("'text'").And.Contain("'json'");
    }

    [Fact]
    public async Task MissingConfigFile_Exits64_NamingTheFile()
    {
        var result = await ConsoleRun.RunAsync("check", "--config", "/nonexistent/cluster.json", "--node", "node1");

        result.Code.Should().Be(64);
        result.Error.Should().Contain("--config /nonexistent/cluster.json: the file does not exist.");
    }
}
