using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Exchange.Domain.Internal;

namespace Exchange.Domain.Regions;

/// <summary>
/// The GB/T 2260 administrative division codes (2023 statistical codes; see Regions/README.md for the source).
/// Immutable once loaded, so one instance can be shared by every request.
/// </summary>
public sealed class RegionTable
{
    private const string ResourceName = "Exchange.Domain.Regions.gbt2260-regions.csv";
    private const string Header = "code,level,name,parent_code";
    private const int CodeLength = 6;

    // Loaded on first use: most processes need the table, but start-up should not pay for it before then.
    private static readonly Lazy<RegionTable> s_default = new(LoadEmbedded);

    private readonly FrozenDictionary<string, Region> _byCode;
    private readonly FrozenDictionary<string, Region>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    // Indexed by the two-digit province prefix, so the per-request province check is one array read.
    private readonly Region?[] _provinceByPrefix;

    private RegionTable(ImmutableArray<Region> regions)
    {
        Regions = regions;
        _byCode = regions.ToFrozenDictionary(r => r.Code, StringComparer.Ordinal);
        _bySpan = _byCode.GetAlternateLookup<ReadOnlySpan<char>>();
        _provinceByPrefix = new Region?[100];
        foreach (var region in regions.Where(r => r.Level == RegionLevel.Province))
        {
            _provinceByPrefix[AsciiDigits.Parse(region.Code.AsSpan(0, 2))] = region;
        }
    }

    /// <summary>The table shipped with this library, loaded once on first use.</summary>
    public static RegionTable Default => s_default.Value;

    /// <summary>Every division, one per code, in file order.</summary>
    /// <remarks>
    /// The source lists three prefecture-level cities without counties (441900 Dongguan, 442000 Zhongshan,
    /// 460400 Danzhou) a second time as a county whose parent is itself; those placeholder rows are dropped, so
    /// 3,351 rows give 3,348 regions.
    /// </remarks>
    public ImmutableArray<Region> Regions { get; }

    /// <summary>Looks up a division by its six-digit code.</summary>
    /// <param name="code">Six-digit code.</param>
    /// <param name="region">The division when found.</param>
    /// <returns><see langword="true"/> when the code is in the table.</returns>
    public bool TryGet(string code, [MaybeNullWhen(false)] out Region region)
    {
        ArgumentNullException.ThrowIfNull(code);
        return _byCode.TryGetValue(code, out region);
    }

    /// <summary>Whether the code is in the table; allocates nothing.</summary>
    /// <param name="code">Six-digit code.</param>
    /// <returns><see langword="true"/> when the code is in the table.</returns>
    public bool Contains(ReadOnlySpan<char> code) => _bySpan.ContainsKey(code);

    /// <summary>Whether two digits are the prefix of a province in the table (e.g. "34" for Anhui).</summary>
    /// <param name="twoDigits">The first two digits of a division code.</param>
    /// <returns><see langword="true"/> when a province has this prefix.</returns>
    public bool IsProvincePrefix(ReadOnlySpan<char> twoDigits) => FindProvince(twoDigits) is not null;

    /// <summary>
    /// The province a six-digit code belongs to, judged by its first two digits only, so retired county codes
    /// (still printed on older ID cards) resolve too.
    /// </summary>
    /// <param name="code">Six-digit code.</param>
    /// <returns>The province, or <see langword="null"/> when the code is malformed or its prefix is unknown.</returns>
    public Region? ProvinceOf(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return code.Length == CodeLength && CharacterSets.ConsistsOf(code, CharacterSets.Digits)
            ? FindProvince(code.AsSpan(0, 2))
            : null;
    }

    /// <summary>
    /// Reads a table in the shipped CSV layout (header <c>code,level,name,parent_code</c>, no quoting). Anything
    /// else is rejected rather than guessed at, because a wrong table silently misroutes requests.
    /// </summary>
    /// <param name="reader">The CSV text.</param>
    /// <returns>The loaded table.</returns>
    /// <exception cref="InvalidDataException">The text is not a consistent region table.</exception>
    public static RegionTable Load(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (reader.ReadLine() != Header)
        {
            throw new InvalidDataException($"region table must start with the header '{Header}'");
        }

        var regions = ImmutableArray.CreateBuilder<Region>();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        var selfParented = new List<(Region Region, int Line)>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var region = ParseRow(line, lineNumber);
            if (region.ParentCode == region.Code)
            {
                selfParented.Add((region, lineNumber));
            }
            else if (!codes.Add(region.Code))
            {
                throw Invalid(lineNumber, $"duplicate code {region.Code}");
            }
            else
            {
                regions.Add(region);
            }
        }

        foreach (var (region, line) in selfParented)
        {
            // Accepted only as a duplicate of a real entry; on its own it would be a cycle.
            if (!codes.Contains(region.Code))
            {
                throw Invalid(line, $"code {region.Code} is its own parent");
            }
        }

        for (var i = 0; i < regions.Count; i++)
        {
            if (regions[i].ParentCode is { } parent && !codes.Contains(parent))
            {
                throw new InvalidDataException(
                    string.Create(CultureInfo.InvariantCulture, $"parent {parent} of {regions[i].Code} is not in the table"));
            }
        }

        return new RegionTable(regions.ToImmutable());
    }

    private Region? FindProvince(ReadOnlySpan<char> twoDigits) =>
        twoDigits.Length == 2 && CharacterSets.ConsistsOf(twoDigits, CharacterSets.Digits)
            ? _provinceByPrefix[AsciiDigits.Parse(twoDigits)]
            : null;

    private static Region ParseRow(string line, int lineNumber)
    {
        var fields = line.Split(',');
        if (fields.Length != 4)
        {
            throw Invalid(lineNumber, "expected 4 fields");
        }

        var (code, levelText, name, parentText) = (fields[0], fields[1], fields[2], fields[3]);
        if (!IsSixDigits(code))
        {
            throw Invalid(lineNumber, "code must be 6 digits");
        }

        var level = levelText switch
        {
            "province" => RegionLevel.Province,
            "prefecture" => RegionLevel.Prefecture,
            "county" => RegionLevel.County,
            _ => throw Invalid(lineNumber, "level must be province, prefecture or county"),
        };
        if (name.Length == 0)
        {
            throw Invalid(lineNumber, "name is empty");
        }

        string? parent = parentText.Length == 0 ? null : parentText;
        if ((level == RegionLevel.Province) != (parent is null) || (parent is not null && !IsSixDigits(parent)))
        {
            throw Invalid(lineNumber, "a province has no parent; any other division has a 6-digit parent");
        }

        if (level == RegionLevel.Province && !code.EndsWith("0000", StringComparison.Ordinal))
        {
            throw Invalid(lineNumber, "a province code ends in 0000");
        }

        return new Region(code, level, name, parent);
    }

    private static bool IsSixDigits(string text) =>
        text.Length == CodeLength && CharacterSets.ConsistsOf(text, CharacterSets.Digits);

    private static InvalidDataException Invalid(int lineNumber, string problem) =>
        new(string.Create(CultureInfo.InvariantCulture, $"region table line {lineNumber}: {problem}"));

    private static RegionTable LoadEmbedded()
    {
        using var stream = typeof(RegionTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return Load(reader);
    }
}
