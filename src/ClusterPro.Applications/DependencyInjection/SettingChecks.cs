using System.Globalization;
using ClusterPro.Applications.Exec;

namespace ClusterPro.Applications.DependencyInjection;

/// <summary>The checks the application settings share: commands, environments, paths, users, times.</summary>
internal static class SettingChecks
{
    public static void Command(IList<string> command, bool shell, string path, bool required, List<string> errors)
    {
        if (command.Count == 0)
        {
            if (required)
            {
                errors.Add($"{path} is empty; give the command as a list of arguments, e.g. [\"/usr/bin/python3\", \"-m\", \"http.server\", \"18080\"] (or one script string with Shell true).");
            }

            return;
        }

        if (shell && command.Count != 1)
        {
            errors.Add($"{path} has {command.Count} elements but Shell is true; give the script as one string, e.g. [\"cd /opt/app && ./start.sh\"], or set Shell to false.");
        }

        if (string.IsNullOrWhiteSpace(command[0]))
        {
            errors.Add($"{path}:0 is empty; the first element is the program to run, e.g. /usr/bin/python3.");
        }
    }

    public static void Environment(IDictionary<string, string> environment, string path, List<string> errors)
    {
        foreach (var key in environment.Keys)
        {
            if (key.Length == 0 || key.Contains('=', StringComparison.Ordinal) || key.Any(char.IsWhiteSpace))
            {
                errors.Add($"{path}:{key} is not a variable name; use letters, digits and _ (e.g. APP_PORT).");
            }
            else if (key.StartsWith("CLUSTERPRO_", StringComparison.Ordinal))
            {
                errors.Add($"{path}:{key} is reserved: ClusterPro sets the CLUSTERPRO_ variables ({ExecEnvironment.Event}, {ExecEnvironment.Node} …); choose another name.");
            }
        }
    }

    public static void AbsolutePath(string? value, string path, List<string> errors)
    {
        if (value is not null && !System.IO.Path.IsPathRooted(value))
        {
            errors.Add($"{path} is '{value}'; use an absolute path such as /opt/app.");
        }
    }

    public static void User(string? user, string path, List<string> errors)
    {
        if (user is not null && (user.Length == 0 || user.Any(c => char.IsWhiteSpace(c) || c == ':')))
        {
            errors.Add($"{path} is '{user}'; name a user of the node (e.g. app), or remove it to run as the node's user.");
        }
    }

    public static void Positive(TimeSpan value, string path, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path} is {value}; use a positive time span such as \"00:00:30\"."));
        }
    }
}
