using System.Xml.Linq;

namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>The calls a user's own test set-up makes: tags, security groups, deletes and releases.</summary>
internal static partial class Ec2Handler
{
    private static readonly Dictionary<string, string[]> TaggableOnCreate = new(StringComparer.Ordinal)
    {
        ["CreateVpc"] = ["vpc"],
        ["CreateSubnet"] = ["subnet"],
        ["CreateNetworkInterface"] = ["network-interface"],
        ["CreateRouteTable"] = ["route-table"],
        ["AllocateAddress"] = ["elastic-ip"],
        ["RunInstances"] = ["instance", "network-interface", "volume"],
        ["CreateSecurityGroup"] = ["security-group"],
        ["CreateInternetGateway"] = ["internet-gateway"],
        ["CreateKeyPair"] = ["key-pair"],
        ["ImportKeyPair"] = ["key-pair"],
        ["CreateVolume"] = ["volume"],
    };

    private static IEnumerable<object?> CreateTags(QueryParams p, Ec2Region r)
    {
        var ids = p.List("ResourceId");
        if (ids.Count == 0)
        {
            throw new AwsErrorException("MissingParameter", "The request must contain the parameter resourceIdSet");
        }

        var tags = TagList(p, "Tag");
        if (tags.Count == 0)
        {
            throw new AwsErrorException("MissingParameter", "The request must contain the parameter tagSet");
        }

        foreach (var id in ids)
        {
            r.ResourceType(id);
        }

        foreach (var id in ids)
        {
            r.SetTags(id, tags);
        }

        return [True()];
    }

    private static IEnumerable<object?> DeleteTags(QueryParams p, Ec2Region r)
    {
        var ids = p.List("ResourceId");
        if (ids.Count == 0)
        {
            throw new AwsErrorException("MissingParameter", "The request must contain the parameter resourceIdSet");
        }

        var keys = new List<(string Key, string? Value)>();
        for (var i = 1; p.Get($"Tag.{i}.Key") is { } key; i++)
        {
            keys.Add((key, p.Get($"Tag.{i}.Value")));
        }

        foreach (var id in ids)
        {
            r.ResourceType(id);
            if (!r.Tags.TryGetValue(id, out var set))
            {
                continue;
            }

            if (keys.Count == 0)
            {
                set.Clear();
            }

            foreach (var (key, value) in keys.Where(k => set.TryGetValue(k.Key, out var current) && (k.Value is null || k.Value == current)))
            {
                set.Remove(key);
            }
        }

        return [True()];
    }

    private static IEnumerable<object?> DescribeTags(QueryParams p, Ec2Region r)
    {
        var all = r.Tags.SelectMany(t => t.Value.Select(kv => (Id: t.Key, Type: r.ResourceType(t.Key), kv.Key, kv.Value)))
            .OrderBy(t => t.Id, StringComparer.Ordinal).ThenBy(t => t.Key, StringComparer.Ordinal);
        var filtered = Query.Filter(all, p, (t, name) => name switch
        {
            "resource-id" => [t.Id],
            "resource-type" => [t.Type],
            "key" => [t.Key],
            "value" => [t.Value],
            _ => null,
        }).ToList();
        var (page, next) = Query.Paginate(filtered, p);
        return [E("tagSet", page.Select(t => Item(E("resourceId", t.Id), E("resourceType", t.Type), E("key", t.Key), E("value", t.Value)))), Next(next)];
    }

    private static IEnumerable<object?> CreateSecurityGroup(QueryParams p, Ec2Region r)
    {
        var group = r.CreateSecurityGroup(p.Required("GroupName"), p.Required("GroupDescription"), p.Get("VpcId"));
        ApplyTagSpecifications(p, "CreateSecurityGroup", r, ("security-group", group.Id));
        return [True(), E("groupId", group.Id), TagSet(r, group.Id), E("securityGroupArn", $"arn:aws:ec2:{r.Name}:{OwnerId}:security-group/{group.Id}")];
    }

    private static IEnumerable<object?> DescribeSecurityGroups(QueryParams p, Ec2Region r)
    {
        var ids = p.List("GroupId");
        var names = p.List("GroupName");
        IEnumerable<SecurityGroupModel> groups = ids.Count > 0 ? ids.Select(r.SecurityGroup) : r.SecurityGroups.Values;
        if (names.Count > 0)
        {
            // GroupName means a group of the default VPC on EC2; other VPCs' groups are found with the group-name filter.
            var named = names.Select(r.DefaultVpcGroup).ToList();
            groups = ids.Count > 0 ? groups.Intersect(named) : named;
        }

        var filtered = Query.Filter(groups, p, (g, name) => name switch
        {
            "group-id" => [g.Id],
            "group-name" => [g.Name],
            "vpc-id" => [g.VpcId],
            "description" => [g.Description],
            "owner-id" => [OwnerId],
            _ => null,
        }, g => r.TagsOf(g.Id)).ToList();
        var (page, next) = Query.Paginate(filtered, p, namedIds: ids.Count > 0 || names.Count > 0);
        return [E("securityGroupInfo", page.Select(g => Item(
            E("ownerId", OwnerId),
            E("groupId", g.Id),
            E("groupName", g.Name),
            E("groupDescription", g.Description),
            E("vpcId", g.VpcId),
            E("securityGroupArn", $"arn:aws:ec2:{r.Name}:{OwnerId}:security-group/{g.Id}"),
            E("ipPermissions"),
            E("ipPermissionsEgress", Item(E("ipProtocol", "-1"), E("groups"), E("ipRanges", Item(E("cidrIp", "0.0.0.0/0"))), E("ipv6Ranges"), E("prefixListIds"))),
            TagSet(r, g.Id)))), Next(next)];
    }

    private static IEnumerable<object?> DeleteSecurityGroup(QueryParams p, Ec2Region r)
    {
        var id = p.Get("GroupId") ?? (p.Get("GroupName") is { } name
            ? r.DefaultVpcGroup(name).Id
            : throw new AwsErrorException("MissingParameter", "The request must contain the parameter groupName or groupId"));
        r.DeleteSecurityGroup(id);
        return [True(), E("groupId", id)];
    }

    /// <summary>Tags from <c>{prefix}.N.Key</c> / <c>{prefix}.N.Value</c>, with AWS's limits.</summary>
    private static List<(string Key, string Value)> TagList(QueryParams p, string prefix)
    {
        var tags = new List<(string, string)>();
        for (var i = 1; p.Get($"{prefix}.{i}.Key") is { } key; i++)
        {
            var value = p.Get($"{prefix}.{i}.Value") ?? string.Empty;
            if (key.Length > 128 || value.Length > 256 || key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw new AwsErrorException("InvalidParameterValue", key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)
                    ? $"Tag keys starting with 'aws:' are reserved for internal use"
                    : $"Tag key or value exceeds the maximum length: key '{key}'");
            }

            tags.Add((key, value));
        }

        return tags;
    }

    /// <summary>Applies <c>TagSpecification.N</c> to the resources a create call made, rejecting types the call cannot tag.</summary>
    private static void ApplyTagSpecifications(QueryParams p, string operation, Ec2Region r, params (string Type, string Id)[] created)
    {
        for (var i = 1; p.Get($"TagSpecification.{i}.ResourceType") is { } type; i++)
        {
            if (!TaggableOnCreate.TryGetValue(operation, out var allowed) || !allowed.Contains(type))
            {
                throw new AwsErrorException("InvalidParameterValue", $"'{type}' is not a valid taggable resource type for this operation.");
            }

            var tags = TagList(p, $"TagSpecification.{i}.Tag");
            foreach (var (_, id) in created.Where(c => c.Type == type))
            {
                r.SetTags(id, tags);
            }
        }
    }

    private static XElement TagSet(Ec2Region r, string id) =>
        E("tagSet", r.TagsOf(id).Select(kv => Item(E("key", kv.Key), E("value", kv.Value))));

    private static IEnumerable<XElement> GroupSet(Ec2Region r, IEnumerable<string> groups) =>
        groups.Select(id => Item(E("groupId", id), E("groupName", r.SecurityGroups.TryGetValue(id, out var g) ? g.Name : string.Empty)));
}
