using System.Collections.ObjectModel;
using System.Reflection;

namespace CloudNonce.Cmdlets.Infrastructure;

/// <summary>Parameters declared once, as the properties of <typeparamref name="T"/> with their
/// validation, aliases and <see cref="ProviderOnlyAttribute"/>, and offered by several cmdlets as dynamic
/// parameters in the parameter sets each cmdlet names.</summary>
/// <remarks>A [Parameter] attribute must name its sets as constants, and a set a base class names
/// exists in every cmdlet deriving from it: Start-CndSearch's three EC2 shapes would become three
/// identical, ambiguous EC2 sets in Get-CndSearchPlan. Built at run time, one declaration fits both.</remarks>
internal sealed class ParameterGroup<T> : IParameterGroup where T : new()
{
    private static readonly PropertyInfo[] Properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance);
    private readonly IReadOnlyList<string> _parameterSets;
    private readonly List<RuntimeDefinedParameter> _parameters = [];
    private T? _values;

    /// <param name="parameterSets">The sets the parameters belong to; none: every set of the cmdlet.</param>
    public ParameterGroup(IReadOnlyList<string> parameterSets) => _parameterSets = parameterSets;

    public void AddTo(RuntimeDefinedParameterDictionary parameters, bool inEverySet)
    {
        if (_parameters.Count == 0)
        {
            foreach (var property in Properties) _parameters.Add(new RuntimeDefinedParameter(property.Name, property.PropertyType, AttributesOf(property, inEverySet)));
        }
        foreach (var parameter in _parameters) parameters[parameter.Name] = parameter;
    }

    /// <summary>The values given, read once binding is done; a parameter not given keeps T's default.</summary>
    public T Values => _values ??= Read();

    public ProviderOnlyAttribute? ProviderOnly(string name) =>
        typeof(T).GetProperty(name)?.GetCustomAttribute<ProviderOnlyAttribute>();

    private T Read()
    {
        var values = new T();
        foreach (var parameter in _parameters.Where(p => p.IsSet))
            typeof(T).GetProperty(parameter.Name)!.SetValue(values, parameter.Value);
        return values;
    }

    private Collection<Attribute> AttributesOf(PropertyInfo property, bool inEverySet)
    {
        var attributes = new Collection<Attribute>();
        if (inEverySet || _parameterSets.Count == 0) attributes.Add(new ParameterAttribute());
        else foreach (var set in _parameterSets) attributes.Add(new ParameterAttribute { ParameterSetName = set });
        foreach (var attribute in property.GetCustomAttributes(inherit: true).OfType<Attribute>()) attributes.Add(attribute);
        return attributes;
    }
}
