using Exchange.Domain.Regions;

namespace Exchange.Domain.Tests.Regions;

public sealed class RegionTableTests
{
    private const string Header = "code,level,name,parent_code";

    [Fact]
    public void Default_ShippedTable_HoldsEveryDistinctRegion()
    {
        var regions = RegionTable.Default.Regions;

        // 3,351 rows less the three self-parented county rows of Dongguan, Zhongshan and Danzhou.
        Assert.Equal(3_348, regions.Length);
        Assert.Equal(31, regions.Count(r => r.Level == RegionLevel.Province));
        Assert.Equal(342, regions.Count(r => r.Level == RegionLevel.Prefecture));
        Assert.Equal(2_975, regions.Count(r => r.Level == RegionLevel.County));
    }

    [Fact]
    public void Default_EmbeddedResource_Has3351DataRows()
    {
        using var stream = typeof(RegionTable).Assembly.GetManifestResourceStream("Exchange.Domain.Regions.gbt2260-regions.csv");
        Assert.NotNull(stream);
        using var reader = new StreamReader(stream);

        // ReadLine copes with the CRLF endings the shared file happens to use.
        Assert.Equal(Header, reader.ReadLine());
        var rows = 0;
        while (reader.ReadLine() is { Length: > 0 })
        {
            rows++;
        }

        Assert.Equal(3_351, rows);
    }

    [Fact]
    public void Default_CalledTwice_ReturnsTheSameInstance()
    {
        Assert.Same(RegionTable.Default, RegionTable.Default);
    }

    [Theory]
    [InlineData("310000", RegionLevel.Province, "上海市", null)]
    [InlineData("320000", RegionLevel.Province, "江苏省", null)]
    [InlineData("330000", RegionLevel.Province, "浙江省", null)]
    [InlineData("330100", RegionLevel.Prefecture, "杭州市", "330000")]
    [InlineData("340000", RegionLevel.Province, "安徽省", null)]
    [InlineData("341000", RegionLevel.Prefecture, "黄山市", "340000")]
    [InlineData("341021", RegionLevel.County, "歙县", "341000")]
    public void TryGet_KnownCode_ReturnsTheRegion(string code, RegionLevel level, string name, string? parent)
    {
        Assert.True(RegionTable.Default.TryGet(code, out var region));
        Assert.Equal(new Region(code, level, name, parent), region);
    }

    [Theory]
    [InlineData("441900")]
    [InlineData("442000")]
    [InlineData("460400")]
    public void TryGet_PrefectureListedTwice_KeepsThePrefecture(string code)
    {
        Assert.True(RegionTable.Default.TryGet(code, out var region));
        Assert.Equal(RegionLevel.Prefecture, region.Level);
        Assert.NotEqual(code, region.ParentCode);
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("31000")]
    [InlineData("")]
    public void TryGet_UnknownCode_Fails(string code)
    {
        Assert.False(RegionTable.Default.TryGet(code, out var region));
        Assert.Null(region);
        Assert.False(RegionTable.Default.Contains(code));
    }

    [Theory]
    [InlineData("31", true)]
    [InlineData("34", true)]
    [InlineData("65", true)]
    [InlineData("99", false)]
    [InlineData("71", false)]
    [InlineData("00", false)]
    [InlineData("3", false)]
    [InlineData("310", false)]
    [InlineData("3a", false)]
    [InlineData("", false)]
    public void IsProvincePrefix_TwoCharacters_AnswersFromTheTable(string prefix, bool expected)
    {
        Assert.Equal(expected, RegionTable.Default.IsProvincePrefix(prefix));
    }

    [Theory]
    [InlineData("341021", "340000")]
    [InlineData("340000", "340000")]
    [InlineData("349999", "340000")]
    [InlineData("330100", "330000")]
    public void ProvinceOf_CodeWithKnownPrefix_ReturnsTheProvince(string code, string province)
    {
        Assert.Equal(province, RegionTable.Default.ProvinceOf(code)?.Code);
    }

    [Theory]
    [InlineData("991021")]
    [InlineData("34102")]
    [InlineData("3410211")]
    [InlineData("34102A")]
    public void ProvinceOf_MalformedOrUnknownPrefix_ReturnsNull(string code)
    {
        Assert.Null(RegionTable.Default.ProvinceOf(code));
    }

    [Fact]
    public void Load_ConsistentTable_KeepsFileOrder()
    {
        var table = Load("340000,province,安徽省,", "341000,prefecture,黄山市,340000", "341021,county,歙县,341000");

        Assert.Equal(["340000", "341000", "341021"], table.Regions.Select(r => r.Code));
        Assert.True(table.IsProvincePrefix("34"));
        Assert.False(table.IsProvincePrefix("31"));
    }

    [Theory]
    [InlineData("code,level,name")]
    [InlineData("")]
    public void Load_WrongHeader_Throws(string header)
    {
        Assert.Throws<InvalidDataException>(() => RegionTable.Load(new StringReader(header + "\n")));
    }

    [Theory]
    [InlineData("340000,province,安徽省")]
    [InlineData("34000,province,安徽省,")]
    [InlineData("340000,state,安徽省,")]
    [InlineData("340000,province,,")]
    [InlineData("340000,province,安徽省,310000")]
    [InlineData("340001,province,安徽省,")]
    [InlineData("341000,prefecture,黄山市,")]
    public void Load_MalformedRow_Throws(string row)
    {
        var error = Assert.Throws<InvalidDataException>(() => Load(row));
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateCode_Throws()
    {
        Assert.Throws<InvalidDataException>(() => Load("340000,province,安徽省,", "340000,province,安徽,"));
    }

    [Fact]
    public void Load_SelfParentedRowWithoutRealEntry_Throws()
    {
        Assert.Throws<InvalidDataException>(() => Load("440000,province,广东省,", "441900,county,东莞市,441900"));
    }

    [Fact]
    public void Load_MissingParent_Throws()
    {
        Assert.Throws<InvalidDataException>(() => Load("341021,county,歙县,341000"));
    }

    private static RegionTable Load(params string[] rows) =>
        RegionTable.Load(new StringReader(string.Join('\n', [Header, .. rows])));
}
