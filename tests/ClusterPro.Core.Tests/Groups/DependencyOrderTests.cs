using ClusterPro.Groups;

namespace ClusterPro.Core.Tests.Groups;

public class DependencyOrderTests
{
    private static IReadOnlyList<string> Order(params (string Name, string[] Deps)[] resources) =>
        DependencyOrder.Resolve(resources.Select(r => (r.Name, (IEnumerable<string>)r.Deps)).ToList(), "failover1");

    [Fact]
    public void Resolve_NoDependencies_KeepsRegistrationOrder() =>
        Order(("awsvip1", []), ("awseip1", []), ("awsdns1", [])).Should().Equal("awsvip1", "awseip1", "awsdns1");

    [Fact]
    public void Resolve_Dependencies_ComeFirst_ThenRegistrationOrder() =>
        Order(("app", ["disk", "vip"]), ("vip", []), ("disk", []), ("dns", ["vip"]))
            .Should().Equal("vip", "disk", "app", "dns");

    [Fact]
    public void Resolve_DependencyNamesCaseInsensitively() =>
        Order(("b", ["A"]), ("a", [])).Should().Equal("a", "b");

    [Fact]
    public void Resolve_Cycle_ThrowsNamingTheCycle()
    {
        var act = () => Order(("a", ["c"]), ("b", ["a"]), ("c", ["b"]), ("d", []));
        act.Should().Throw<InvalidOperationException>()
            .WithMessage("*group 'failover1'*cycle*")
            .Which.Message.Should().MatchRegex("(a -> c -> b -> a)|(c -> b -> a -> c)|(b -> a -> c -> b)");
    }

    [Fact]
    public void Resolve_UnknownDependency_ThrowsNamingTheSetting()
    {
        var act = () => Order(("a", ["missing"]));
        act.Should().Throw<InvalidOperationException>()
            .WithMessage("*'a'*depends on 'missing'*ClusterPro:Groups:failover1:Resources:a:DependsOn*");
    }
}
