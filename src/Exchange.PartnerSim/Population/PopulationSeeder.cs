using Exchange.Contracts.Archive.V1;
using Exchange.Contracts.Credit.V1;
using Exchange.Contracts.Medical.V1;
using Exchange.Contracts.SocialSecurity.V1;
using Exchange.Domain.Identifiers;
using Exchange.Domain.Regions;

namespace Exchange.PartnerSim.Population;

/// <summary>Generates a <see cref="RegionPopulation"/> from a region code and a seed.</summary>
public static class PopulationSeeder
{
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "胡", "朱", "高", "汪", "程", "方", "江", "潘"];
    private static readonly string[] GivenNames = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "桂兰", "建国", "志强", "海燕", "文华", "晓东"];
    private static readonly string[] OrganisationKinds = ["建设工程有限公司", "食品有限公司", "茶业有限公司", "医药有限公司", "物流有限公司", "餐饮管理有限公司", "环保科技有限公司", "旅游开发有限公司"];
    private static readonly CardStatus[] NonNormalStatuses =
    [
        CardStatus.NotActivated, CardStatus.VerbalLossReported, CardStatus.WrittenLossReported, CardStatus.Frozen, CardStatus.Cancelled,
    ];

    /// <summary>Generates the population of <paramref name="regionCode"/>.</summary>
    /// <param name="regionCode">A GB/T 2260 code of the division table (province, prefecture or county).</param>
    /// <param name="seed">Same seed, same population.</param>
    /// <param name="today">The simulator's current date (ages, publication periods and certification dates depend on it).</param>
    /// <param name="residentCount">How many people to create (at least 24, so every status occurs).</param>
    public static RegionPopulation Create(string regionCode, int seed, DateOnly today, int residentCount = 240)
    {
        if (!RegionTable.Default.TryGet(regionCode, out _))
        {
            throw new ArgumentException($"{regionCode} is not a GB/T 2260 code of the division table", nameof(regionCode));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(residentCount, 24);
        // Deterministic per (region, seed): string.GetHashCode is randomised per process, so mix the numeric code instead.
        var random = new Random(seed ^ (int.Parse(regionCode, System.Globalization.CultureInfo.InvariantCulture) * 7919));
        var counties = CountiesOf(regionCode);

        var residents = CreateResidents(random, counties, today, residentCount);
        var cards = residents.Select((r, i) => CreateCard(random, r, i, regionCode, today)).ToArray();
        var insurance = residents.Select((r, i) => CreateInsurance(random, r, i, regionCode)).ToArray();
        var pensions = CreatePensions(random, residents, today);
        var organisations = CreateOrganisations(random, counties, regionCode);
        var creditRecords = CreateCreditRecords(random, residents, organisations, regionCode, today);
        var holdings = CreateHoldings(random, residents, regionCode, today);
        return new RegionPopulation(regionCode, residents, cards, insurance, pensions, organisations, creditRecords, holdings);
    }

    /// <summary>The county codes inside a region: the region itself if it is a county.</summary>
    public static IReadOnlyList<string> CountiesOf(string regionCode)
    {
        var prefix = RegionScope.PrefixOf(regionCode);
        var counties = RegionTable.Default.Regions
            .Where(r => r.Level == RegionLevel.County && r.Code.StartsWith(prefix, StringComparison.Ordinal) && !r.Name.Contains("市辖区", StringComparison.Ordinal))
            .Select(r => r.Code)
            .ToArray();
        return counties.Length > 0 ? counties : [regionCode];
    }

    private static Resident[] CreateResidents(Random random, IReadOnlyList<string> counties, DateOnly today, int count)
    {
        var residents = new List<Resident>(count);
        var used = new HashSet<string>(StringComparer.Ordinal);
        while (residents.Count < count)
        {
            var county = counties[random.Next(counties.Count)];
            // A third are of pension age so eligibility certification has people to work on.
            var age = residents.Count % 3 == 0 ? random.Next(60, 95) : random.Next(18, 60);
            var birth = today.AddYears(-age).AddDays(-random.Next(0, 365));
            var id = CitizenId.Create(county, birth, random.Next(1, 1000), today);
            if (!used.Add(id.Value))
            {
                continue;
            }

            var name = Surnames[random.Next(Surnames.Length)] + GivenNames[random.Next(GivenNames.Length)];
            residents.Add(new Resident(id.Value, name, birth, id.IsMale, county));
        }

        return [.. residents];
    }

    private static SeededCard CreateCard(Random random, Resident resident, int index, string regionCode, DateOnly today)
    {
        // The first residents get every non-normal status in turn; later ones are mostly normal.
        var status = index < NonNormalStatuses.Length * 2
            ? (index % 2 == 0 ? CardStatus.Normal : NonNormalStatuses[index / 2 % NonNormalStatuses.Length])
            : random.Next(10) == 0 ? NonNormalStatuses[random.Next(NonNormalStatuses.Length)] : CardStatus.Normal;
        var third = random.Next(2) == 0;
        var issue = third ? new DateOnly(2021 + random.Next(0, 4), random.Next(1, 13), random.Next(1, 29)) : new DateOnly(2012 + random.Next(0, 8), random.Next(1, 13), random.Next(1, 29));
        if (issue > today)
        {
            issue = today.AddDays(-30);
        }

        var cardNumber = ((char)('A' + (int.Parse(regionCode.AsSpan(0, 2), System.Globalization.CultureInfo.InvariantCulture) % 26))).ToString()
            + random.Next(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        var identification = Convert.ToHexString(RandomBytes(random, 16));
        return new SeededCard(
            resident.CitizenId,
            cardNumber,
            identification,
            status,
            third ? CardGeneration.Third : CardGeneration.Second,
            issue,
            issue.AddYears(10),
            Temporary: index % 37 == 5);
    }

    private static SeededInsurance CreateInsurance(Random random, Resident resident, int index, string regionCode)
    {
        var employee = index % 3 != 2;
        // A few are suspended (contributions lapsed) so settlements can be refused.
        var status = index % 17 == 16 ? InsuranceStatus.Suspended : InsuranceStatus.Active;
        var deductible = employee ? 1_500_00L : 800_00L;
        var cap = employee ? 6_000_00L + random.Next(0, 4) * 1_000_00L : 3_000_00L;
        var personNumber = regionCode + (100000 + index).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var balance = employee ? random.Next(2_000, 800_000) : 0L;
        var deductibleRemaining = random.Next(3) == 0 ? 0 : deductible - random.Next(0, (int)deductible / 2);
        return new SeededInsurance(
            resident.CitizenId,
            personNumber,
            employee ? InsuranceType.Employee : InsuranceType.Resident,
            status,
            deductible,
            cap,
            PrimaryRatioBp: employee ? 9_000 : 7_000,
            SecondaryRatioBp: employee ? 8_500 : 6_000,
            TertiaryRatioBp: employee ? 8_000 : 5_000,
            AccountBalanceFen: balance,
            DeductibleRemainingFen: deductibleRemaining,
            CapRemainingFen: cap);
    }

    private static SeededPension[] CreatePensions(Random random, IEnumerable<Resident> residents, DateOnly today)
    {
        var statuses = new[] { BenefitStatus.Active, BenefitStatus.Active, BenefitStatus.CertificationDue, BenefitStatus.Suspended, BenefitStatus.Ended };
        return residents
            .Where(r => r.BirthDate.AddYears(60) <= today)
            .Select((r, i) =>
            {
                var status = statuses[i % statuses.Length];
                var last = status switch
                {
                    BenefitStatus.Active => today.AddDays(-random.Next(10, 300)),
                    BenefitStatus.CertificationDue => today.AddDays(-random.Next(366, 400)),
                    _ => today.AddDays(-random.Next(420, 900)),
                };
                return new SeededPension(r.CitizenId, status, last);
            })
            .ToArray();
    }

    private static Organisation[] CreateOrganisations(Random random, IReadOnlyList<string> counties, string regionCode)
    {
        const string orgAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        var organisations = new List<Organisation>();
        var regionName = RegionTable.Default.TryGet(regionCode, out var region) ? region.Name : regionCode;
        for (var i = 0; i < 40; i++)
        {
            var county = counties[random.Next(counties.Count)];
            var body = new string(Enumerable.Range(0, 8).Select(_ => orgAlphabet[random.Next(orgAlphabet.Length)]).ToArray());
            var code = UnifiedSocialCreditCode.Create('9', '1', county, body);
            var name = regionName + Surnames[random.Next(Surnames.Length)] + "氏" + OrganisationKinds[random.Next(OrganisationKinds.Length)];
            organisations.Add(new Organisation(code.Value, name, county));
        }

        return [.. organisations];
    }

    private static SeededCreditRecord[] CreateCreditRecords(Random random, Resident[] residents, Organisation[] organisations, string regionCode, DateOnly today)
    {
        var records = new List<SeededCreditRecord>();
        var authority = (RegionTable.Default.TryGet(regionCode, out var region) ? region.Name : regionCode) + "市场监督管理局";
        var sequence = 1;
        string NextDecision(int year) => $"{regionCode[..2]}市监处〔{year}〕{sequence++}号";

        // Most organisations carry a penalty; every fourth also sits on a dishonesty list; some records have expired.
        for (var i = 0; i < organisations.Length; i++)
        {
            var org = organisations[i];
            var decided = today.AddDays(-random.Next(30, 1400));
            var end = i % 5 == 4 ? today.AddDays(-random.Next(1, 30)) : decided.AddYears(3);
            records.Add(new SeededCreditRecord(
                null, org.CreditCode, org.Name, RecordKind.AdministrativePenalty, authority, NextDecision(decided.Year), decided,
                "销售不符合食品安全标准的食品", PenaltyType.Fine, random.Next(5, 500) * 1_000_00L, decided.AddDays(7), end));
            if (i % 4 == 0)
            {
                var listed = today.AddDays(-random.Next(30, 700));
                records.Add(new SeededCreditRecord(
                    null, org.CreditCode, org.Name, RecordKind.SeriousDishonesty, authority, NextDecision(listed.Year), listed,
                    "拒不履行生效法律文书确定的义务", PenaltyType.Unspecified, 0, listed, listed.AddYears(3)));
            }
        }

        // A few natural persons with penalties.
        for (var i = 0; i < residents.Length; i += 20)
        {
            var person = residents[i];
            var decided = today.AddDays(-random.Next(30, 700));
            records.Add(new SeededCreditRecord(
                person.CitizenId, null, person.Name, RecordKind.AdministrativePenalty, authority, NextDecision(decided.Year), decided,
                "无证经营", PenaltyType.Warning, 0, decided.AddDays(7), decided.AddYears(1)));
        }

        return [.. records];
    }

    private static ArchiveHolding[] CreateHoldings(Random random, Resident[] residents, string regionCode, DateOnly today)
    {
        var place = RegionTable.Default.TryGet(regionCode, out var region) ? region.Name : regionCode;
        var holdings = new List<ArchiveHolding>();
        foreach (var (person, i) in residents.Select((r, i) => (r, i)))
        {
            // Every other resident has records; the rest make NOT_FOUND look-ups possible.
            if (i % 2 == 1)
            {
                continue;
            }

            var age20 = person.BirthDate.Year + 20;
            holdings.Add(new ArchiveHolding(person.CitizenId, ArchiveCategory.School, person.BirthDate.Year + 15, $"{place}中学学籍档案，{person.BirthDate.Year + 15}年入学"));
            holdings.Add(new ArchiveHolding(person.CitizenId, ArchiveCategory.Marriage, age20 + random.Next(2, 10), $"{place}民政局婚姻登记档案"));
            if (person.BirthDate.Year is >= 1940 and <= 1962)
            {
                holdings.Add(new ArchiveHolding(person.CitizenId, ArchiveCategory.EducatedYouth, 1968 + random.Next(0, 8), $"{place}知识青年上山下乡档案"));
            }

            if (person.BirthDate.AddYears(60) <= today)
            {
                holdings.Add(new ArchiveHolding(person.CitizenId, ArchiveCategory.Retirement, person.BirthDate.Year + 60, $"{place}人力资源和社会保障局退休审批档案"));
            }
        }

        return [.. holdings];
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
