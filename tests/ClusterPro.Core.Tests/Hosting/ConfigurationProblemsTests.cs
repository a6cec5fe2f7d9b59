using ClusterPro.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ClusterPro.Core.Tests.Hosting;

public sealed class ConfigurationProblemsTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"clusterpro-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void Read_TruncatedJsonFile_NamesTheFileLineAndColumn()
    {
        File.WriteAllText(_file, "{\n  \"ClusterPro\": {\n    \"Nodes\": [ { \"Name\": \"node1\" }");

        var load = () => new ConfigurationBuilder().AddJsonFile(_file).Build();

        var problems = ConfigurationProblems.Read(load.Should().Throw<InvalidDataException>().Which);
        problems.Should().ContainSingle().Which.Should().StartWith($"{_file}: line 3, column ").And.Contain("the file is not valid JSON (").And.EndWith("); fix the file there.");
    }

    [Fact]
    public void Read_BadValueInJson_NamesTheLine()
    {
        File.WriteAllText(_file, "{\n  \"ClusterPro\": {\n    \"Nodes\": [ { \"Name\": node1 } ]\n  }\n}\n");

        var load = () => new ConfigurationBuilder().AddJsonFile(_file).Build();

        ConfigurationProblems.Read(load.Should().Throw<InvalidDataException>().Which).Should().ContainSingle()
            .Which.Should().StartWith($"{_file}: line 3, column ").And.Contain("the file is not valid JSON").And.NotContain("\n");
    }

    [Fact]
    public void Read_SeveralValidationFailures_ListsEachOnceInOrder()
    {
        var exception = new AggregateException(
            new OptionsValidationException("", typeof(object), ["a is wrong; fix a.", "b is wrong; fix b."]),
            new OptionsValidationException("awsvip1", typeof(object), ["c is wrong; fix c.", "a is wrong; fix a."]),
            new ClusterProConfigurationException("ClusterPro:Node is not set."));

        ConfigurationProblems.Read(exception).Should().Equal("a is wrong; fix a.", "b is wrong; fix b.", "c is wrong; fix c.", "ClusterPro:Node is not set.");
    }

    [Fact]
    public void Read_AnythingElse_IsNotAConfigurationProblem()
    {
        ConfigurationProblems.Read(new InvalidOperationException("a bug")).Should().BeNull();
        ConfigurationProblems.Read(new AggregateException(new OptionsValidationException("", typeof(object), ["a"]), new TimeoutException())).Should().BeNull();
    }
}
