namespace Orders.Functions.Settings;

/// <summary>The function app's settings are incomplete or invalid: every problem found, one per line.</summary>
public sealed class FunctionAppSettingsException : Exception
{
    public FunctionAppSettingsException(IReadOnlyList<string> problems)
        : base("The Orders function app cannot start; fix these app settings (local.settings.sample.json lists them all):"
               + Environment.NewLine + string.Join(Environment.NewLine, (problems ?? []).Select(p => "  - " + p)))
    {
        Problems = problems ?? [];
    }

    public FunctionAppSettingsException() : this([]) { }

    public FunctionAppSettingsException(string message) : base(message) => Problems = [message];

    public FunctionAppSettingsException(string message, Exception innerException) : base(message, innerException) => Problems = [message];

    public IReadOnlyList<string> Problems { get; }
}
