using System.Diagnostics;
using System.Text.Json;
using ClusterPro.Aws.Witness;
using ClusterPro.Witness;

namespace ClusterPro.Aws.Tests.Witness;

/// <summary>The witness table through the AWS CLI (Debian's awscli, which .ci/run installs): what an operator reads and does by hand.</summary>
public class WitnessAwsCliTests
{
    private const string AwsCli = "/usr/bin/aws";

    [SkippableFact]
    public async Task AwsCli_ReadsTheLease_AndAForcedReleaseByHand_EndsTheOwnersRenewals()
    {
        Skip.IfNot(File.Exists(AwsCli), $"{AwsCli} is not installed (Debian package awscli; .ci/run installs it).");
        await using var w = await WitnessEmulator.StartAsync(createTable: false);
        (await DynamoDbWitnessTable.EnsureAsync(w.Raw, WitnessEmulator.Table, timeProvider: w.Time)).Succeeded.Should().BeTrue();
        var store = w.Store();
        await store.AcquireAsync(new LeaseAcquisition("failover1", "node1", null, "rvn-1", 7));

        var get = await RunCliAsync(w, "dynamodb", "get-item", "--table-name", WitnessEmulator.Table, "--consistent-read", "--key", """{"group":{"S":"failover1"}}""");
        var release = await RunCliAsync(w, "dynamodb", "update-item", "--table-name", WitnessEmulator.Table, "--key", """{"group":{"S":"failover1"}}""",
            "--update-expression", "REMOVE #owner SET #rvn = :new", "--condition-expression", "#rvn = :seen",
            "--expression-attribute-names", """{"#owner":"owner","#rvn":"rvn"}""", "--expression-attribute-values", """{":new":{"S":"operator-1"},":seen":{"S":"rvn-1"}}""");
        var renewal = await store.RenewAsync("failover1", "node1", 7, "rvn-2");

        get.ExitCode.Should().Be(0, get.Error);
        using var item = JsonDocument.Parse(get.Output);
        var lease = item.RootElement.GetProperty("Item");
        lease.GetProperty("owner").GetProperty("S").GetString().Should().Be("node1");
        lease.GetProperty("rvn").GetProperty("S").GetString().Should().Be("rvn-1");
        lease.GetProperty("epoch").GetProperty("N").GetString().Should().Be("7");
        lease.GetProperty("lease_ms").GetProperty("N").GetString().Should().Be("10000");
        release.ExitCode.Should().Be(0, release.Error);
        renewal.Outcome.Should().Be(LeaseOutcome.NotHeld);
        renewal.Current.Should().Be(new LeaseRecord("failover1", null, "operator-1", 7));
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunCliAsync(WitnessEmulator w, params string[] args)
    {
        var info = new ProcessStartInfo(AwsCli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--endpoint-url");
        info.ArgumentList.Add(w.Emulator.Endpoint.ToString().TrimEnd('/'));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in w.Emulator.EnvironmentVariables)
        {
            info.Environment[k] = v;
        }

        info.Environment["AWS_PAGER"] = string.Empty;
        info.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        info.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
