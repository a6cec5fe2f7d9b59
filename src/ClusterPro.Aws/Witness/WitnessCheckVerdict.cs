namespace ClusterPro.Aws.Witness;

/// <summary>A preflight check's verdict, as <c>doctor</c> prints it.</summary>
public enum WitnessCheckVerdict
{
    /// <summary>PASS: as it should be.</summary>
    Pass,

    /// <summary>WARN: works, with a risk worth fixing.</summary>
    Warn,

    /// <summary>FAIL: the witness cannot work; the detail says how to fix it.</summary>
    Fail,
}
