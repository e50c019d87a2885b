namespace Idp.Hosting;

/// <summary>A configuration problem found at start-up; its message names the key and is printed as is, without a stack trace.</summary>
internal sealed class IdpConfigurationException(string message) : Exception(message);
