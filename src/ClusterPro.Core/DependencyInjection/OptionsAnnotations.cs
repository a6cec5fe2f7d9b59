using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;

namespace ClusterPro.DependencyInjection;

/// <summary>
/// The validation attributes of an options type (<c>[Range]</c> …), so that a range is written once, on the setting:
/// read from the type's public properties, which the trimmer keeps for the type named at the call (no reflection over
/// whatever type an object turns out to be, unlike <see cref="Validator.TryValidateObject(object, ValidationContext, ICollection{ValidationResult}, bool)"/>).
/// </summary>
public static class OptionsAnnotations
{
    /// <summary>Adds one line per setting whose attributes reject its value: <c>{path}:{Setting} is {value}; {message}.</c></summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="options">The options.</param>
    /// <param name="path">The options' configuration path (e.g. <c>ClusterPro:Groups:failover1:Resources:awsvip1</c>).</param>
    /// <param name="errors">Receives the lines.</param>
    public static void Check<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(TOptions options, string path, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var property in typeof(TOptions).GetProperties().Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
        {
            foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>(inherit: true))
            {
                var value = property.GetValue(options);
                if (!attribute.IsValid(value))
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path}:{property.Name} is {value}; {attribute.FormatErrorMessage(property.Name)}."));
                }
            }
        }
    }
}
