/*
 * link_cam.c - a second generator of agency lists of Cambodian persons,
 * written apart from link/gen.c so that the linker is not measured only on
 * the data it was designed on (docs/linkage.md, "Generators").
 *
 *   link_cam --persons N [--lists 3] [--combos K] [--seed S] --out DIR
 *
 * writes DIR/police.csv, DIR/ngo.csv, DIR/ministry.csv (DIR/iom.csv with
 * 4 lists) in the linkage input columns plus person_id, the truth.
 *
 * What it draws, per person: a sex, a given and a family name from pools
 * of about 90 given and 50 family names in Khmer script, each with a
 * weight (how common the name is, by rank: a few very common family names,
 * a long tail) and its common romanisations (Sokha/Sokhar/Sok Kha,
 * Vichet/Vichit, Meas/Meah, Chan/Chann, Srey/Srei, Sanskrit and Pali
 * spellings, the inherent vowel written a or o); with --combos K only K
 * (given, family) combinations exist, drawn by weight, so that namesakes
 * are as frequent as wanted (850 over 20,000 persons is extreme); a birth
 * date 1965-2010, a province (weighted: Phnom Penh, Banteay Meanchey,
 * Battambang and the border provinces first), a village, sometimes a phone.
 *
 * Per record (each list includes a person with probability 0.42, its own
 * style): a quarter in Khmer script only (the *_km columns or a Khmer full
 * name, family name first); the rest romanised with a variant chosen per
 * record, some upper case, 4% with a typo, 5% with given and family name
 * swapped, a fifth as one full name; birth as a full date, a year, an age
 * at a stated date (a tenth of ages off by one) or missing; 3% day and
 * month swapped, 4% years off by one; missing sex, province, place; 3% of
 * listed persons listed twice in the same list (a second, differently
 * written record).
 *
 * Its own random generator (splitmix64): nothing shared with link/.
 */
#include <stdio.h>
#include <string.h>

#include "io/io.h"

struct name {
    const char *km;
    int weight;
    const char *latin; /* romanisations, the most common first, '/' */
    int sex;           /* given names: 1 female, 2 male, 3 either */
};

/* Family names: Khmer script, weight, romanisations. */
static const struct name families[] = {
    {"\u1785\u17B6\u1793\u17CB", 90, "Chan/Chann/Chane", 0},
    {"\u179F\u17BB\u1781", 85, "Sok/Sokh/Sock", 0},
    {"\u1782\u17B8\u1798", 60, "Kim/Kimm/Keam", 0},
    {"\u17A0\u17C1\u1784", 55, "Heng/Hieng/Hen", 0},
    {"\u179B\u17B8", 55, "Ly/Lee/Li", 0},
    {"\u179F\u17C1\u1784", 45, "Seng/Sieng", 0},
    {"\u1787\u17B6", 42, "Chea/Chear/Chia", 0},
    {"\u1798\u17B6\u179F", 40, "Meas/Meah/Mas", 0},
    {"\u1780\u17C2\u179C", 40, "Keo/Kev/Kaev", 0},
    {"\u179F\u17C6", 30, "Sam/Som/Samm", 0},
    {"\u17A2\u17CA\u17BB\u1780", 28, "Ouk/Ok/Uk", 0},
    {"\u1794\u17D2\u179A\u17B6\u1780\u17CB", 26, "Prak/Prac/Brak", 0},
    {"\u17A0\u17CA\u17BB\u1793", 22, "Hun/Houn", 0},
    {"\u1791\u17C1\u1796", 20, "Tep/Tepp/Teb", 0},
    {"\u1799\u17B9\u1798", 20, "Yim/Yem/Yoem", 0},
    {"\u1798\u17C9\u17C5", 18, "Mao/Mau/Mav", 0},
    {"\u1798\u17C9\u17C2\u1793", 18, "Men/Maen", 0},
    {"\u17A1\u17BB\u1784", 16, "Long/Lung", 0},
    {"\u1795\u17B6\u1793", 16, "Phan/Pan/Phann", 0},
    {"\u1782\u1784\u17CB", 15, "Kong/Kung", 0},
    {"\u1784\u17C9\u17C2\u178F", 10, "Nget/Ngaet/Nguet", 0},
    {"\u1793\u17BD\u1793", 14, "Nuon/Noun/Nuan", 0},
    {"\u1794\u17C9\u17C2\u1793", 10, "Pen/Paen/Penn", 0},
    {"\u1791\u17BC\u1785", 14, "Touch/Tuch/Toch", 0},
    {"\u17A2\u17CA\u17BB\u1799", 8, "Uy/Ouy/Oy", 0},
    {"\u179C\u17C9\u17B6\u1793\u17CB", 14, "Vann/Van/Vanh", 0},
    {"\u179F\u17CA\u17BB\u1793", 14, "Sun/Soun/Sunn", 0},
    {"\u179A\u179F\u17CB", 8, "Ros/Ruos/Rous", 0},
    {"\u178F\u17B6\u1793\u17CB", 8, "Tan/Tann/Than", 0},
    {"\u179F\u17BD\u1793", 9, "Suon/Suorn/Suan", 0},
    {"\u1781\u17C0\u179C", 8, "Khiev/Khieu/Kiev", 0},
    {"\u179F\u17CA\u17B7\u1793", 12, "Sin/Sinn/Sen", 0},
    {"\u1789\u17B9\u1798", 7, "Nhim/Nhem/Nim", 0},
    {"\u1788\u17B9\u1798", 7, "Chhim/Chim/Chhem", 0},
    {"\u1796\u17C1\u1787\u17D2\u179A", 7, "Pich/Pech/Petch", 0},
    {"\u178C\u17B8", 6, "Dy/Di/Dey", 0},
    {"\u17A2\u17CA\u17B9\u1798", 6, "Im/Em/Oem", 0},
    {"\u1798\u17C9\u1798", 6, "Mom/Mum", 0},
    {"\u179C\u1784\u17D2\u179F", 6, "Vong/Vang/Voung", 0},
    {"\u1796\u17D2\u179A\u17C6", 6, "Prum/Prom/Proum", 0},
    {"\u1790\u1793", 5, "Thon/Ton/Thorn", 0},
    {"\u1788\u17BD\u1793", 5, "Chhuon/Chhoun/Choun", 0},
    {"\u1791\u17B7\u178F\u17D2\u1799", 5, "Tith/Tit/Tich", 0},
    {"\u17A0\u17BD\u179A", 5, "Hour/Hor/Huor", 0},
    {"\u179B\u17B9\u1798", 5, "Lim/Lem/Loem", 0},
    {"\u1786\u17B6\u1799", 6, "Chhay/Chay/Chhai", 0},
    {"\u1790\u17B6\u1785\u17CB", 4, "Thach/Tach/Thac", 0},
    {"\u1796\u17C5", 5, "Pov/Pao/Pow", 0},
    {"\u1781\u17BB\u1793", 4, "Khun/Khon/Kun", 0},
    {"\u1793\u17B6\u1798", 3, "Neam/Nam/Neamm", 0},
};

/* Given names: Khmer script, weight, romanisations, sex. */
static const struct name givens[] = {
    {"\u179F\u17BB\u1781\u17B6", 40, "Sokha/Sokhar/Sok Kha/Sokkha", 3},
    {"\u179F\u17D2\u179A\u17B8\u1798\u17BB\u17C6", 20,
     "Srey Mom/Sreymom/Srei Mom/Sreymum", 1},
    {"\u1794\u17BB\u1794\u17D2\u1795\u17B6", 25, "Bopha/Boppha/Bupha", 1},
    {"\u1785\u1793\u17D2\u1792\u17BC", 10, "Chanthou/Chantou/Chanthu", 1},
    {"\u179F\u17BB\u1797\u17B6", 22, "Sophea/Sopha/Sophia", 1},
    {"\u179F\u17BB\u1797\u17B6\u1796", 14, "Sopheap/Sophep/Sopheab", 1},
    {"\u178A\u17B6\u179C\u17B8", 14, "Davy/Davi/Dawy", 1},
    {"\u1793\u17B6\u179A\u17B8", 14, "Neary/Nary/Neari", 1},
    {"\u179F\u17D2\u179A\u17B8\u1793\u17B6\u1784", 10,
     "Srey Neang/Sreyneang/Srei Neang", 1},
    {"\u179F\u17D2\u179A\u17B8\u1796\u17C5", 10, "Srey Pov/Sreypov/Srei Pao",
     1},
    {"\u1792\u17B8\u178F\u17B6", 18, "Thida/Tida/Theda", 1},
    {"\u1785\u17B6\u1793\u17CB\u1790\u17B6", 12, "Chantha/Chanta/Chan Tha", 1},
    {"\u1782\u1793\u17D2\u1792\u17B6", 12, "Kunthea/Kanthea/Kunthia", 1},
    {"\u1796\u17B7\u179F\u17B8", 14, "Pisey/Pisei/Pissey", 1},
    {"\u1798\u17C9\u17B6\u179B\u17B8", 14, "Maly/Mali/Malie", 1},
    {"\u1785\u17B6\u1793\u17CB\u1792\u17B8", 12, "Chanthy/Chanty/Chan Thy", 1},
    {"\u179B\u17B8\u178E\u17B6", 8, "Lina/Leena/Linna", 1},
    {"\u179F\u17BB\u1787\u17B6\u178F\u17B6", 10, "Socheata/Sochata/Socheta", 1},
    {"\u179F\u17D2\u179A\u17B8\u1793\u17B7\u1785", 8,
     "Srey Nich/Sreynich/Srei Nich", 1},
    {"\u179F\u17D2\u179A\u17B8\u179B\u17D0\u1780\u17D2\u1781", 8,
     "Srey Leak/Sreyleak/Srei Leak", 1},
    {"\u1792\u17B6\u179A\u17B8", 12, "Theary/Teary/Thiary", 1},
    {"\u178A\u17B6\u1793\u17B8", 12, "Dany/Dani/Danny", 1},
    {"\u1798\u17B6\u179B\u17B6", 6, "Mealea/Meala/Malea", 1},
    {"\u178E\u17B6\u179C\u17B8", 6, "Navy/Navi/Nawy", 1},
    {"\u179C\u178E\u17D2\u178E\u17B8", 10, "Vanny/Vanni/Vany/Vonny", 1},
    {"\u179F\u17CA\u17B8\u178E\u17B6", 8, "Sina/Seena/Sinna", 1},
    {"\u179F\u17BB\u1792\u17B8", 8, "Sothy/Sothi/Soty", 3},
    {"\u179A\u179F\u17D2\u1798\u17B8", 14, "Reaksmey/Raksmey/Reaksmei/Rasmey",
     1},
    {"\u1785\u17B7\u1793\u17D2\u178F\u17B6", 12, "Chenda/Chinda/Chendar", 1},
    {"\u1780\u1789\u17D2\u1789\u17B6", 8, "Kanha/Kagna/Kannha", 1},
    {"\u1795\u179B\u17D2\u179B\u17B6", 12, "Phalla/Phala/Phalla", 1},
    {"\u179F\u17BB\u1792\u17B6\u179A\u17B8", 8, "Sotheary/Sotheari/Sothiary",
     1},
    {"\u179A\u178F\u1793\u17B6", 10, "Ratana/Rathana/Rattana/Rotana", 3},
    {"\u179B\u1780\u17D2\u1781\u17B7\u178E\u17B6", 8,
     "Leakhena/Leakena/Lakhena", 1},
    {"\u1798\u1780\u179A\u17B6", 8, "Makara/Makkara/Makra", 3},
    {"\u179F\u17D2\u179A\u17B8\u17A2\u17BC\u1793", 6,
     "Srey Oun/Sreyoun/Srei Oun", 1},
    {"\u179F\u17D2\u179A\u17B8\u1793\u17B8", 6, "Srey Ny/Sreyny/Srei Ni", 1},
    {"\u179F\u17BB\u1781\u179B\u17B8", 10, "Sokly/Sok Ly/Sokley", 3},
    {"\u1785\u17B6\u1793\u17CB\u178E\u17B6", 8, "Channa/Chan Na/Chana", 3},
    {"\u179C\u178E\u17D2\u178E\u17B6", 14, "Vanna/Vana/Vannak/Vonna", 3},
    {"\u178A\u17B6\u179A\u17C9\u17B6", 30, "Dara/Darah/Darra", 2},
    {"\u179C\u17B7\u1785\u17B7\u178F\u17D2\u179A", 18,
     "Vichet/Vichit/Vicheth/Vichhet", 2},
    {"\u179C\u17BB\u1791\u17D2\u1792\u17B8", 18, "Vuthy/Vuthi/Voutthy", 2},
    {"\u179F\u17C6\u178E\u17B6\u1784", 18, "Samnang/Somnang/Samnag", 2},
    {"\u179C\u17B7\u179F\u17B6\u179B", 14, "Visal/Visall/Vesal", 2},
    {"\u179F\u17BB\u1795\u179B", 14, "Sophal/Sophall/Sopal", 2},
    {"\u1780\u17BB\u179F\u179B", 12, "Kosal/Kusal/Kosol", 2},
    {"\u1794\u17CA\u17BB\u1793\u1792\u17BF\u1793", 6,
     "Bunthoeun/Bun Thoeun/Bunthoeurn", 2},
    {"\u179A\u17B7\u1791\u17D2\u1792\u17B8", 14, "Rithy/Rithi/Rity", 2},
    {"\u1785\u17C6\u179A\u17BE\u1793", 10, "Chamroeun/Chamreun/Chamroen", 2},
    {"\u179F\u17BB\u1782\u17BB\u1793", 8, "Sokun/Sokhun/Sokunn", 2},
    {"\u179C\u17B7\u1794\u17BB\u179B", 8, "Vibol/Vibal/Vipol", 2},
    {"\u179F\u17BB\u1792\u17B6", 12, "Sothea/Sotha/Sothia", 2},
    {"\u1797\u17B7\u179A\u17BB\u178E", 8, "Phirun/Pirun/Phiroun", 2},
    {"\u1798\u17BB\u1793\u17B8", 12, "Mony/Moni/Monny", 2},
    {"\u1794\u17BC\u179A\u17C9\u17B6", 12, "Bora/Borra/Borah", 2},
    {"\u1793\u17B7\u1798\u179B", 6, "Nimol/Nimul/Nimoul", 2},
    {"\u179F\u17B8\u17A0\u17B6", 12, "Seyha/Sayha/Seiha", 2},
    {"\u1796\u1793\u17D2\u179B\u17BA", 6, "Ponleu/Ponlue/Ponlu", 2},
    {"\u1794\u17BC\u179A\u17B8", 10, "Borey/Bory/Borei", 2},
    {"\u1796\u17B7\u179F\u17B7\u178A\u17D2\u178B", 14, "Piseth/Piset/Pisith",
     2},
    {"\u179F\u1798\u17D2\u1794\u178F\u17D2\u178F\u17B7", 12,
     "Sambath/Sambat/Sampath", 2},
    {"\u179F\u17BB\u1797\u17D0\u1780\u17D2\u178F\u17D2\u179A", 10,
     "Sopheak/Sophak/Sopheakt", 3},
    {"\u1797\u1780\u17D2\u178F\u17B8", 8, "Pheakdey/Pheakdei/Peakdey", 2},
    {"\u17A7\u178F\u17D2\u178F\u1798", 8, "Oudom/Udom/Otdom", 2},
    {"\u1794\u1789\u17D2\u1789\u17B6", 8, "Panha/Pagna/Panhar", 2},
    {"\u179C\u17B6\u179F\u1793\u17B6", 12, "Veasna/Vesna/Veassna", 2},
    {"\u179F\u17BB\u179C\u178E\u17D2\u178E", 10, "Sovann/Sovan/Sovanna", 2},
    {"\u179A\u178A\u17D2\u178B\u17B6", 8, "Ratha/Rattha/Rotha", 2},
    {"\u179F\u17BB\u1781\u17BB\u1798", 6, "Sokhom/Sokhum/Sokom", 2},
    {"\u179F\u17B6\u179A\u17C9\u17BB\u1793", 6, "Saron/Sarun/Saroun", 2},
    {"\u1792\u17BF\u1793", 6, "Thoeun/Thoeurn/Theun", 2},
    {"\u1782\u17B8\u1798\u17A0\u17C1\u1784", 6, "Kimheng/Kim Heng/Kimhieng", 2},
    {"\u1785\u17B6\u1793\u17CB\u178A\u17B6\u179A\u17C9\u17B6", 6,
     "Chandara/Chan Dara/Chandarah", 2},
    {"\u179F\u17BB\u1781\u17A0\u17C1\u1784", 6, "Sokheng/Sok Heng/Sokhieng", 3},
    {"\u1796\u17B7\u179F\u17B6\u179B", 6, "Pisal/Pisall/Pesal", 2},
};

#define N_FAM (sizeof families / sizeof families[0])
#define N_GIV (sizeof givens / sizeof givens[0])

static const char *const villages[] = {
    "Prey Veng",       "Svay Rieng",     "Kampong Cham",
    "Chrey",           "Tuol Sleng",     "Boeng Kak",
    "Phum Thmei",      "Kandal",         "Ampil",
    "Trapeang Chhuk",  "Srah Chak",      "Phnom Del",
    "Doung",           "Krang Yov",      "Ta Khmau",
    "Veal Sbov",       "Samrong",        "Roka Kong",
    "Chamkar Leu",     "Kouk Trab",      "Angk Snuol",
    "Spean Thma",      "Preaek Pra",     "Daun Penh",
    "Kaoh Dach",       "Chheu Teal",     "Krouch Chhmar",
    "Sla Kram",        "Lvea Aem",       "Ou Chrov",
    "Poipet",          "Sampov Loun",    "Thma Puok",
    "Malai",           "Rotanak Mondol", "Bavel",
    "Moung Ruessei",   "Kralanh",        "Puok",
    "Banteay Srei",    "Chong Kal",      "Anlong Veng",
    "Trapeang Prasat", "Samraong",       "Kamrieng",
    "Phnom Proek",
};
#define N_VIL (sizeof villages / sizeof villages[0])

/* provinces 1..25 (ISO 3166-2:KH numbers) and weights */
static const int prov_weight[26] = {
    0, 40, 30, 20, 8,  8, 10, 8,  12, 3, 4, 2, 45,
    4, 25, 10, 2,  30, 8, 2,  18, 10, 6, 3, 5, 6,
};

struct rng {
    unsigned long long s;
};

static unsigned long long next(struct rng *r)
{
    unsigned long long z = (r->s += 0x9E3779B97F4A7C15ULL);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double unif(struct rng *r)
{
    return (double)(next(r) >> 11) / 9007199254740992.0;
}

static int below(struct rng *r, int n)
{
    return (int)(unif(r) * n);
}

static int chance(struct rng *r, double p)
{
    return unif(r) < p;
}

/* Index drawn by weight from w[0..n). */
static int pick(struct rng *r, const int *w, int n)
{
    long tot = 0;
    long x;
    int i;

    for (i = 0; i < n; i++) {
        tot += w[i];
    }
    x = (long)(unif(r) * (double)tot);
    for (i = 0; i < n; i++) {
        if (x < w[i]) {
            return i;
        }
        x -= w[i];
    }
    return n - 1;
}

struct combo {
    int given, family, sex;
};

struct person {
    int given, family;
    int sex; /* 1 f, 2 m */
    int y, m, d;
    int prov;
    int village;
    int has_phone;
    char phone[32];
};

/* Variant v (or the first, the most common, when v is out of range) of
 * the romanisations s into out. Returns the number of variants. */
static int variant(const char *s, int v, char *out, size_t size)
{
    int n = 0;
    const char *p = s;

    out[0] = '\0';
    for (;;) {
        const char *e = strchr(p, '/');
        size_t len = e != NULL ? (size_t)(e - p) : strlen(p);

        if (n == v && len < size) {
            memcpy(out, p, len);
            out[len] = '\0';
        }
        n++;
        if (e == NULL) {
            break;
        }
        p = e + 1;
    }
    if (out[0] == '\0' && v != 0) {
        variant(s, 0, out, size);
    }
    return n;
}

/* A romanisation of s: the first (most common) half the time, else any. */
static void romanise(struct rng *r, const char *s, char *out, size_t size)
{
    int n = variant(s, 0, out, size);

    if (n > 1 && chance(r, 0.5)) {
        variant(s, 1 + below(r, n - 1), out, size);
    }
}

static void typo(struct rng *r, char *s)
{
    size_t n = strlen(s);
    size_t i;
    int kind = below(r, 4);

    if (n < 3) {
        return;
    }
    i = 1 + (size_t)below(r, (int)n - 2);
    if (s[i] == ' ' || s[i - 1] == ' ') {
        return;
    }
    switch (kind) {
    case 0: /* substitution */
        s[i] = "aeiouhnkrst"[below(r, 11)];
        break;
    case 1: /* deletion */
        memmove(s + i, s + i + 1, n - i);
        break;
    case 2: /* transposition */
    {
        char c = s[i];

        s[i] = s[i - 1];
        s[i - 1] = c;
    } break;
    default: /* doubling */
        if (n + 2 < 64) {
            memmove(s + i + 1, s + i, n - i + 1);
        }
        break;
    }
}

static void upper(char *s)
{
    for (; *s != '\0'; s++) {
        if (*s >= 'a' && *s <= 'z') {
            *s = (char)(*s - 'a' + 'A');
        }
    }
}

static int days_in(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
        return 29;
    }
    return d[m - 1];
}

struct out {
    FILE *f;
    struct ctis_buf line;
    long records;
    long next_id;
};

enum col {
    C_ID,
    C_GIVEN,
    C_FAMILY,
    C_FULL,
    C_GIVEN_KM,
    C_FAMILY_KM,
    C_SEX,
    C_BIRTH_DATE,
    C_BIRTH_YEAR,
    C_AGE,
    C_AGE_AT,
    C_PROV,
    C_PLACE,
    C_PHONE,
    C_PERSON,
    C_N
};

static const char *const col_names[C_N] = {
    "record_id", "given_name",    "family_name",
    "full_name", "given_name_km", "family_name_km",
    "sex",       "birth_date",    "birth_year",
    "age",       "age_at",        "home_province",
    "place",     "phone",         "person_id",
};

static int write_row(struct out *o, char v[C_N][96])
{
    int i;
    int rc = 0;

    ctis_buf_reset(&o->line);
    for (i = 0; i < C_N && rc == 0; i++) {
        rc = io_csv_put_field(&o->line, v[i]);
        if (rc == 0) {
            rc = ctis_buf_putc(&o->line, i + 1 < C_N ? ',' : '\n');
        }
    }
    if (rc == 0 && fwrite(o->line.data, 1, o->line.len, o->f) != o->line.len) {
        rc = CTIS_EIO;
    }
    o->records++;
    return rc;
}

/* Styles of the lists: share of records in Khmer script only, of upper
 * case, of full names; birth as date / year / age (the rest missing). */
struct style {
    double khmer, upper, full, date, year, age;
};

static const struct style styles[4] = {
    {0.10, 0.45, 0.10, 0.55, 0.20, 0.10}, /* police */
    {0.20, 0.10, 0.45, 0.35, 0.15, 0.30}, /* ngo */
    {0.45, 0.05, 0.10, 0.40, 0.35, 0.10}, /* ministry */
    {0.15, 0.20, 0.20, 0.50, 0.10, 0.25}, /* iom */
};

static int emit(struct rng *r, struct out *o, int list, const struct person *p,
                long pid)
{
    const struct style *st = &styles[list];
    char v[C_N][96];
    char g[64];
    char f[64];
    int khmer = chance(r, st->khmer);
    int swap = chance(r, 0.05);
    double b = unif(r);
    int y = p->y;
    int m = p->m;
    int d = p->d;

    memset(v, 0, sizeof v);
    snprintf(v[C_ID], sizeof v[C_ID], "R%ld", o->next_id++);
    snprintf(v[C_PERSON], sizeof v[C_PERSON], "%ld", pid);
    if (khmer) {
        const char *gk = givens[p->given].km;
        const char *fk = families[p->family].km;

        if (swap) {
            const char *t = gk;

            gk = fk;
            fk = t;
        }
        if (chance(r, 0.4)) {
            snprintf(v[C_FULL], sizeof v[C_FULL], "%s %s", fk, gk);
        } else {
            snprintf(v[C_GIVEN_KM], sizeof v[C_GIVEN_KM], "%s", gk);
            snprintf(v[C_FAMILY_KM], sizeof v[C_FAMILY_KM], "%s", fk);
        }
    } else {
        romanise(r, givens[p->given].latin, g, sizeof g);
        romanise(r, families[p->family].latin, f, sizeof f);
        if (chance(r, 0.04)) {
            typo(r, chance(r, 0.5) ? g : f);
        }
        if (chance(r, st->upper)) {
            upper(g);
            upper(f);
        }
        if (swap) {
            char t[64];

            memcpy(t, g, sizeof t);
            memcpy(g, f, sizeof g);
            memcpy(f, t, sizeof f);
        }
        if (chance(r, st->full)) {
            snprintf(v[C_FULL], sizeof v[C_FULL], "%s %s", g, f);
        } else {
            snprintf(v[C_GIVEN], sizeof v[C_GIVEN], "%s", g);
            if (!chance(r, 0.03)) {
                snprintf(v[C_FAMILY], sizeof v[C_FAMILY], "%s", f);
            }
        }
    }
    if (!chance(r, 0.10)) {
        snprintf(v[C_SEX], sizeof v[C_SEX], "%s",
                 khmer ? (p->sex == 1 ? "\u179F\u17D2\u179A\u17B8"
                                      : "\u1794\u17D2\u179A\u17BB\u179F")
                       : (p->sex == 1 ? "F" : "M"));
    }
    /* birth */
    if (chance(r, 0.04)) {
        y += chance(r, 0.5) ? 1 : -1;
    }
    if (b < st->date) {
        if (chance(r, 0.03) && d <= 12 && d != m) {
            int t = d;

            d = m;
            m = t;
        }
        if (d > days_in(y, m)) {
            d = days_in(y, m);
        }
        snprintf(v[C_BIRTH_DATE], sizeof v[C_BIRTH_DATE], "%04d-%02d-%02d", y,
                 m, d);
    } else if (b < st->date + st->year) {
        snprintf(v[C_BIRTH_YEAR], sizeof v[C_BIRTH_YEAR], "%04d", y);
    } else if (b < st->date + st->year + st->age) {
        int ay = 2018 + below(r, 8);
        int am = 1 + below(r, 12);
        int ad = 1 + below(r, days_in(ay, am));
        int age = ay - p->y - (am < p->m || (am == p->m && ad < p->d));

        if (chance(r, 0.10)) {
            age += chance(r, 0.5) ? 1 : -1;
        }
        if (age < 0) {
            age = 0;
        }
        snprintf(v[C_AGE], sizeof v[C_AGE], "%d", age);
        snprintf(v[C_AGE_AT], sizeof v[C_AGE_AT], "%04d-%02d-%02d", ay, am, ad);
    }
    if (!chance(r, 0.15)) {
        int prov = chance(r, 0.04) ? 1 + below(r, 25) : p->prov;

        snprintf(v[C_PROV], sizeof v[C_PROV], "KH-%d", prov);
    }
    if (chance(r, 0.6)) {
        snprintf(v[C_PLACE], sizeof v[C_PLACE], "%s",
                 villages[chance(r, 0.05) ? below(r, (int)N_VIL) : p->village]);
        if (!khmer && chance(r, 0.2)) {
            upper(v[C_PLACE]);
        }
    }
    if (p->has_phone && chance(r, 0.5)) {
        snprintf(v[C_PHONE], sizeof v[C_PHONE], "%s", p->phone);
    }
    return write_row(o, v);
}

int main(int argc, char **argv)
{
    static const char *const names[] = {"police", "ngo", "ministry", "iom"};
    long persons = 1000;
    long combos = 0;
    long pid;
    int lists = 3;
    unsigned long long seed = 1;
    const char *dir = NULL;
    struct out out[4];
    struct combo *cv = NULL;
    int *cw = NULL;
    int fw[N_FAM];
    int gw[N_GIV];
    struct rng r;
    int i;
    int rc = 0;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--persons") == 0 && i + 1 < argc) {
            if (ctis_parse_long(argv[++i], 1, 100000000L, &persons) != 0) {
                persons = 0;
            }
        } else if (strcmp(argv[i], "--lists") == 0 && i + 1 < argc) {
            long l;

            if (ctis_parse_long(argv[++i], 1, 4, &l) != 0) {
                l = 0;
            }
            lists = (int)l;
        } else if (strcmp(argv[i], "--combos") == 0 && i + 1 < argc) {
            if (ctis_parse_long(argv[++i], 1, 10000000L, &combos) != 0) {
                combos = -1;
            }
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            long sd;

            if (ctis_parse_long(argv[++i], 0, 2147483647L, &sd) != 0) {
                sd = -1;
            }
            seed = (unsigned long long)sd;
        } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else {
            fprintf(stderr, "link_cam: bad option '%s'\n", argv[i]);
            return 2;
        }
    }
    if (dir == NULL || persons < 1 || lists < 1 || lists > 4 || combos < 0) {
        fprintf(stderr, "usage: link_cam --persons N [--lists 3] "
                        "[--combos K] [--seed S] --out DIR\n");
        return 2;
    }
    r.s = seed * 0x2545F4914F6CDD1DULL + 7;
    for (i = 0; i < (int)N_FAM; i++) {
        fw[i] = families[i].weight;
    }
    for (i = 0; i < (int)N_GIV; i++) {
        gw[i] = givens[i].weight;
    }
    if (combos > 0) {
        cv = ctis_calloc((size_t)combos, sizeof *cv);
        cw = ctis_calloc((size_t)combos, sizeof *cw);
        if (cv == NULL || cw == NULL) {
            return 1;
        }
        for (i = 0; i < combos; i++) {
            cv[i].given = pick(&r, gw, (int)N_GIV);
            cv[i].family = pick(&r, fw, (int)N_FAM);
            cv[i].sex = givens[cv[i].given].sex == 3 ? 1 + below(&r, 2)
                                                     : givens[cv[i].given].sex;
            cw[i] = givens[cv[i].given].weight * families[cv[i].family].weight;
        }
    }
    for (i = 0; i < lists; i++) {
        char path[4096];

        snprintf(path, sizeof path, "%s/%s.csv", dir, names[i]);
        out[i].f = fopen(path, "w");
        if (out[i].f == NULL) {
            fprintf(stderr, "link_cam: cannot create '%s'\n", path);
            return 1;
        }
        ctis_buf_init(&out[i].line);
        out[i].records = 0;
        out[i].next_id = 1;
        {
            int c;

            for (c = 0; c < C_N; c++) {
                fprintf(out[i].f, "%s%c", col_names[c],
                        c + 1 < C_N ? ',' : '\n');
            }
        }
    }
    for (pid = 1; pid <= persons && rc == 0; pid++) {
        struct person p;
        int l;

        if (cv != NULL) {
            int c = pick(&r, cw, (int)combos);

            p.given = cv[c].given;
            p.family = cv[c].family;
            p.sex = cv[c].sex;
        } else {
            p.sex = 1 + below(&r, 2);
            do {
                p.given = pick(&r, gw, (int)N_GIV);
            } while (givens[p.given].sex != 3 && givens[p.given].sex != p.sex);
            p.family = pick(&r, fw, (int)N_FAM);
        }
        p.y = 1965 + below(&r, 46);
        p.m = 1 + below(&r, 12);
        p.d = 1 + below(&r, days_in(p.y, p.m));
        p.prov = pick(&r, prov_weight, 26);
        p.village = below(&r, (int)N_VIL);
        p.has_phone = chance(&r, 0.3);
        snprintf(p.phone, sizeof p.phone, "0%d%07d", 10 + below(&r, 90),
                 below(&r, 10000000));
        for (l = 0; l < lists && rc == 0; l++) {
            if (!chance(&r, 0.42)) {
                continue;
            }
            rc = emit(&r, &out[l], l, &p, pid);
            if (rc == 0 && chance(&r, 0.03)) {
                rc = emit(&r, &out[l], l, &p, pid);
            }
        }
    }
    for (i = 0; i < lists; i++) {
        if (fclose(out[i].f) != 0) {
            rc = CTIS_EIO;
        }
        ctis_buf_release(&out[i].line);
    }
    ctis_free(cv);
    ctis_free(cw);
    if (rc != 0) {
        fprintf(stderr, "link_cam: %s\n", ctis_strerror(rc));
        return 1;
    }
    {
        long n = 0;

        for (i = 0; i < lists; i++) {
            n += out[i].records;
        }
        fprintf(stderr, "link_cam: %ld records of %ld persons in %d lists\n", n,
                persons, lists);
    }
    return 0;
}
