using ClusterPro.Samples.ConsoleHost.Web;
using Microsoft.Extensions.Configuration;

namespace ClusterPro.Web.Tests;

/// <summary>The web view's address, prefixes and token.</summary>
public sealed class WebOptionsTests
{
    private const string Token = "0123456789abcdef-operator";

    [Fact]
    public void From_WithoutAnAddress_ServesLocalhostOnly_ByBothNames()
    {
        var options = From(8080, null, null);

        options.Address.Should().Be("localhost");
        options.Prefixes.Should().Equal("http://127.0.0.1:8080/", "http://localhost:8080/");
        options.OperationsEnabled.Should().BeFalse("without a token the view is read-only");
    }

    [Theory]
    [InlineData("*", "http://*:9000/")]
    [InlineData("0.0.0.0", "http://*:9000/")]
    [InlineData("10.0.110.100", "http://10.0.110.100:9000/")]
    [InlineData("::1", "http://[::1]:9000/")]
    public void From_AnAddress_IsItsPrefix(string address, string prefix) =>
        From(9000, address, null).Prefixes.Should().Equal(prefix);

    [Fact]
    public void From_AnAddressThatIsNone_OrAShortToken_IsAUsageError_ThatNeverPrintsTheToken()
    {
        var address = () => From(8080, "example.com", null);
        var shortToken = () => From(8080, null, "short-secret");

        address.Should().Throw<Exception>().WithMessage("--web-address example.com is not an address*");
        shortToken.Should().Throw<Exception>().Where(e => e.Message.Contains("ClusterPro:Web:Token") && !e.Message.Contains("short-secret"));
    }

    [Theory]
    [InlineData("Bearer " + Token, true)]
    [InlineData("bearer " + Token, true)]
    [InlineData("Bearer  " + Token + " ", true)]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData(Token, false)]
    [InlineData("Basic " + Token, false)]
    [InlineData("Bearer " + Token + "x", false)]
    [InlineData("Bearer 0123456789abcdef-operato", false)]
    [InlineData("Bearer ", false)]
    public void Authorizes_OnlyTheBearerToken(string? header, bool authorized) =>
        From(8080, null, Token).Authorizes(header).Should().Be(authorized);

    [Fact]
    public void Authorizes_Nothing_WhenNoTokenIsConfigured() =>
        From(8080, null, null).Authorizes("Bearer ").Should().BeFalse();

    [Fact]
    public void From_TakesTheTokenFromTheEnvironment_WhenTheConfigurationHasNone()
    {
        var configuration = new ConfigurationBuilder().Build();

        WebOptions.From(8080, null, configuration, name => name == "CLUSTERPRO_WEB_TOKEN" ? Token : null).Authorizes("Bearer " + Token).Should().BeTrue();
    }

    /// <summary>The settings with the token (or none) in the configuration, and none in the environment.</summary>
    private static WebOptions From(int port, string? address, string? token) =>
        WebOptions.From(port, address, new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ClusterPro:Web:Token"] = token }).Build(), _ => null);
}
