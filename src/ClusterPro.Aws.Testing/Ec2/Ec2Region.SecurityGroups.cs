namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>Security groups (their rules are not modelled).</summary>
internal sealed partial class Ec2Region
{
    /// <summary>Creates a group in the VPC, or without one in the default VPC, as EC2 does.</summary>
    public SecurityGroupModel CreateSecurityGroup(string name, string description, string? vpcId)
    {
        vpcId ??= DefaultVpc?.Id ?? throw new AwsErrorException("VPCIdNotSpecified", "No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.");
        Vpc(vpcId);
        if (name.StartsWith("sg-", StringComparison.OrdinalIgnoreCase) || name.Length > 255)
        {
            throw new AwsErrorException("InvalidParameterValue", $"Value ({name}) for parameter GroupName is invalid. Group names may not be in the format sg-*.");
        }

        if (SecurityGroups.Values.Any(g => g.VpcId == vpcId && g.Name == name))
        {
            throw new AwsErrorException("InvalidGroup.Duplicate", $"The security group '{name}' already exists for VPC '{vpcId}'");
        }

        var group = new SecurityGroupModel { Id = _ids.Next("sg"), Name = name, Description = description, VpcId = vpcId };
        SecurityGroups[group.Id] = group;
        return group;
    }

    /// <summary>A group named in the default VPC (what <c>GroupName</c> parameters mean on EC2).</summary>
    public SecurityGroupModel DefaultVpcGroup(string name) =>
        SecurityGroups.Values.FirstOrDefault(g => g.Name == name && g.VpcId == DefaultVpc?.Id)
            ?? throw new AwsErrorException("InvalidGroup.NotFound", $"The security group '{name}' does not exist in default VPC '{DefaultVpc?.Id ?? "none"}'");

    public void DeleteSecurityGroup(string id)
    {
        var group = SecurityGroup(id);
        if (group.IsDefault)
        {
            throw new AwsErrorException("CannotDelete", $"the specified group: \"{id}\" name: \"default\" cannot be deleted by a user");
        }

        if (Enis.Values.Any(e => e.Groups.Contains(id)))
        {
            throw new AwsErrorException("DependencyViolation", $"resource {id} has a dependent object");
        }

        SecurityGroups.Remove(id);
        Tags.Remove(id);
    }
}
