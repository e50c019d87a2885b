namespace Idp.Tokens;

/// <summary>One page of a token listing, and how many tokens match in all.</summary>
public sealed record TokenPage(IReadOnlyList<TokenView> Tokens, int Total);
