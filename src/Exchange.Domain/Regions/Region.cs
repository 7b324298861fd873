namespace Exchange.Domain.Regions;

/// <summary>One administrative division from the GB/T 2260 table.</summary>
/// <param name="Code">Six-digit division code, e.g. 341021.</param>
/// <param name="Level">Tier of the division.</param>
/// <param name="Name">Official Chinese name, e.g. 歙县.</param>
/// <param name="ParentCode">Code of the enclosing division; <see langword="null"/> for a province.</param>
public sealed record Region(string Code, RegionLevel Level, string Name, string? ParentCode);
