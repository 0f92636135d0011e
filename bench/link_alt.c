/*
 * link_alt.c - a second, independent generator of agency lists of
 * Cambodian persons for `ctis link`, with a truth column (issue 10).
 *
 * It was written from the issue text and knowledge of Khmer names and of
 * how agencies in Cambodia write them, without reading the linker
 * (link/, docs/linkage.md) or the project's other generators
 * (bench/link_gen.c, bench/link_cam.c), so that it does not share their
 * blind spots. Its lists are held out: nobody tunes the linker on them.
 *
 *   link_alt [--persons N] [--lists K] [--seed S]
 *            [--namesakes realistic|high|extreme] [--dup P] DIR
 *   link_alt --names-tsv          (the name pool, in both scripts)
 *
 * writes DIR/alt1.csv ... DIR/altK.csv, one row per record, in a random
 * order, with the columns `ctis link` reads:
 *   record_id, given_name, family_name, full_name, given_name_km,
 *   family_name_km, sex, birth_date, birth_year, age, age_at,
 *   home_province, place, phone,
 * the truth, person_id, and hidden columns that say what was done to the
 * record (ctis does not read them; bench/link_eval and the class counts
 * do): t_given, t_family (the person's name ids in the pools), t_prov
 * (the true province's number), t_script (lat, km, both), t_var (1 when
 * a romanised name is not in its most common spelling), t_gvar, t_fvar
 * (the spelling used, 0 the most common, -1 none), t_typo, t_swap,
 * t_full (one full-name column), t_split, t_birth (date,
 * month, year, age, none), t_berr (ok, dmswap, year1, jan1, age1, kage),
 * t_dup (a second record of the person in the same list) and t_sib (the
 * person is a sibling of another person: same family name, village and
 * province, birth a few years apart).
 *
 * The model, with the figures chosen here (docs/linkage.md, "outside
 * lists"):
 * - Names. 72 family names with weights after their frequency in
 *   Cambodia (Sok, Chan, Kim, Heng, Seng, Chea, Ly, Meas... are a third of
 *   the population), 150 given names and 175 compound given names (Srey
 *   Mom, Sok Heng, Bun Thoeun...), each in Khmer script (some with a
 *   second Khmer spelling) and in the 1 to 4 romanisations it is met in,
 *   most common first. A person has a usual spelling (their ID card);
 *   an agency writes it half the time, else a spelling drawn by weight.
 *   '|' in a spelling is a syllable boundary, rarely written as a space
 *   (Sok Ha for Sokha); '+' a compound boundary, written as a space half
 *   the time (Srey Mom, Sreymom).
 * - --namesakes: realistic uses every name; high the 40 most common
 *   family names and 100 given names; extreme 25 and 34 (850 name pairs,
 *   as many as the outside review's lists but drawn by weight, so the
 *   common pairs have far more namesakes than its even spread).
 * - Lists have agency styles by their number: 1 (police) romanised, often
 *   upper case, full birth dates; 2 (NGO) Khmer and Latin, ages at the
 *   interview (a third of them in Khmer reckoning, one year more); 3
 *   (shelter) a single full-name column half the time (family name first
 *   mostly), Khmer only often, birth years. About a quarter of all records
 *   are in Khmer script only.
 * - Errors: a typo in a name (keyboard neighbour, dropped, doubled or
 *   transposed letter; in Khmer a dropped sign) on 7% of records, given
 *   and family swapped on 5%, day and month swapped on 3% of dates, a year
 *   off by one on 4% of dates and 8% of years, 1 January written for an
 *   unknown day on 6%, ages off by one on 10%, the province wrong on 4%,
 *   sex wrong on 1%, a changed phone number on 15% of phones.
 * - Capture: each person is on list k with probability 0.36 * 0.85^k
 *   times a visibility of 0.5, 1 or 2; persons on no list are not
 *   written. --dup (0.03) is the share of records that have a second
 *   record of the same person in the same list.
 * - 4% of persons are siblings of another one (hard non-matches).
 * The same seed gives the same files on every machine (ctis_rng).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

#define MAXVAR 4
#define MAXLISTS 8

/* A name: Khmer spelling(s), romanisations (most common first), weight,
 * sex ('f', 'm' or 'u' for either). */
struct name {
    const char *km;
    const char *km2;
    const char *rom[MAXVAR];
    int w;
    char sex;
};

static const struct name family_tab[] = {
    {"សុខ", NULL, {"Sok", "Sokh", "Sauk"}, 90, 'u'},
    {"ចាន់", "ចន្ទ", {"Chan", "Chanh", "Chann"}, 60, 'u'},
    {"គីម", NULL, {"Kim", "Kym", "Khim"}, 45, 'u'},
    {"ហេង", NULL, {"Heng", "Hieng", "Haeng"}, 40, 'u'},
    {"សេង", NULL, {"Seng", "Sieng", "Saeng"}, 38, 'u'},
    {"ជា", NULL, {"Chea", "Chia", "Chear"}, 36, 'u'},
    {"លី", NULL, {"Ly", "Lee", "Li"}, 34, 'u'},
    {"មាស", NULL, {"Meas", "Meah", "Mias", "Measa"}, 30, 'u'},
    {"ង៉ែត", NULL, {"Nget", "Ngaet", "Nguet"}, 24, 'u'},
    {"អ៊ុក", NULL, {"Ouk", "Ok", "Uk"}, 24, 'u'},
    {"ផាន", NULL, {"Phan", "Phann", "Pharn"}, 22, 'u'},
    {"កែវ", NULL, {"Keo", "Kaev", "Keu"}, 22, 'u'},
    {"សំ", NULL, {"Sam", "Samm", "Sâm"}, 20, 'u'},
    {"ឈឹម", NULL, {"Chhim", "Chhoeum", "Chhem"}, 18, 'u'},
    {"ប្រាក់", NULL, {"Prak", "Prack", "Brak"}, 18, 'u'},
    {"ទូច", NULL, {"Touch", "Tuoch", "Toch"}, 16, 'u'},
    {"ហ៊ុន", NULL, {"Hun", "Houn", "Hoeun"}, 16, 'u'},
    {"ម៉ៅ", NULL, {"Mao", "Mau", "Maow"}, 15, 'u'},
    {"ទេព", NULL, {"Tep", "Tiep", "Teb"}, 15, 'u'},
    {"យឹម", NULL, {"Yim", "Yoeum", "Yem"}, 14, 'u'},
    {"ញឹម", NULL, {"Nhem", "Nhim", "Nhoem"}, 14, 'u'},
    {"ស៊ុន", NULL, {"Sun", "Soun", "Son"}, 14, 'u'},
    {"ប៉ែន", NULL, {"Pen", "Paen", "Penh"}, 12, 'u'},
    {"ឡុង", NULL, {"Long", "Lung", "Loung"}, 12, 'u'},
    {"ម៉ែន", NULL, {"Men", "Maen", "Menn"}, 11, 'u'},
    {"នួន", NULL, {"Nuon", "Noun", "Nuan"}, 11, 'u'},
    {"ពេជ្រ", NULL, {"Pich", "Pech", "Petch"}, 10, 'u'},
    {"ឈុន", NULL, {"Chhun", "Chhoun", "Chun"}, 10, 'u'},
    {"លឹម", NULL, {"Lim", "Loem", "Lym"}, 10, 'u'},
    {"តាន់", NULL, {"Tan", "Tann", "Taan"}, 9, 'u'},
    {"រស់", NULL, {"Ros", "Ruos", "Rous"}, 9, 'u'},
    {"វង្ស", NULL, {"Vong", "Vongs", "Wong"}, 9, 'u'},
    {"អេង", NULL, {"Eng", "Ieng", "Aeng"}, 9, 'u'},
    {"ថាច់", NULL, {"Thach", "Thack", "Thatch"}, 8, 'u'},
    {"គង់", NULL, {"Kong", "Kung", "Koung"}, 8, 'u'},
    {"ហែម", NULL, {"Hem", "Haem", "Hemm"}, 8, 'u'},
    {"នូ", NULL, {"Nou", "Nu", "Noo"}, 7, 'u'},
    {"យិន", NULL, {"Yin", "Yen", "Yinn"}, 7, 'u'},
    {"អ៊ឹម", NULL, {"Im", "Oeum", "Em"}, 7, 'u'},
    {"ឯក", NULL, {"Ek", "Aek", "Ake"}, 7, 'u'},
    {"ឡាយ", NULL, {"Lay", "Lai", "Laiy"}, 6, 'u'},
    {"ស៊ីម", NULL, {"Sim", "Seam", "Sym"}, 6, 'u'},
    {"ទិត្យ", NULL, {"Tith", "Tit", "Tuth"}, 6, 'u'},
    {"វ៉ាន់", NULL, {"Vann", "Van", "Vanh"}, 6, 'u'},
    {"ព្រំ", NULL, {"Prum", "Prom", "Proum"}, 6, 'u'},
    {"សឿន", NULL, {"Soeun", "Soeurn", "Suen"}, 5, 'u'},
    {"សួន", NULL, {"Suon", "Suan", "Suorn"}, 5, 'u'},
    {"ម៉ម", NULL, {"Mom", "Mum", "Mam"}, 5, 'u'},
    {"ជុំ", NULL, {"Chum", "Choum", "Chhum"}, 5, 'u'},
    {"អ៊ុំ", NULL, {"Oum", "Um", "Om"}, 5, 'u'},
    {"សៅ", NULL, {"Sao", "Sau", "Saw"}, 5, 'u'},
    {"អ៊ុយ", NULL, {"Uy", "Ouy", "Ui"}, 4, 'u'},
    {"ខៀវ", NULL, {"Khieu", "Khiev", "Khiew"}, 4, 'u'},
    {"ស្រ៊ុន", NULL, {"Srun", "Sroun", "Sron"}, 4, 'u'},
    {"ជ័យ", NULL, {"Chey", "Chei", "Chay"}, 4, 'u'},
    {"ហាក់", NULL, {"Hak", "Hack", "Hakk"}, 4, 'u'},
    {"យស", NULL, {"Yos", "Yous", "Yoss"}, 4, 'u'},
    {"ឆាយ", NULL, {"Chhay", "Chay", "Chhai"}, 4, 'u'},
    {"សន", NULL, {"Sorn", "Son", "Sonn"}, 4, 'u'},
    {"រិន", NULL, {"Rin", "Rinn", "Rine"}, 3, 'u'},
    {"ពៅ", NULL, {"Pov", "Pau", "Pou"}, 3, 'u'},
    {"ធី", NULL, {"Thy", "Thi", "Ty"}, 3, 'u'},
    {"ហួត", NULL, {"Huot", "Hout", "Huat"}, 3, 'u'},
    {"ឃុត", NULL, {"Khut", "Khuth", "Khoot"}, 3, 'u'},
    {"ណុប", NULL, {"Nop", "Nob", "Norp"}, 3, 'u'},
    {"ប៊ុន", NULL, {"Bun", "Boun", "Bunn"}, 3, 'u'},
    {"ម៉ក់", NULL, {"Mak", "Mack", "Makk"}, 3, 'u'},
    {"ហ៊ាង", NULL, {"Hang", "Heang", "Hieng"}, 3, 'u'},
    {"សយ", NULL, {"Soy", "Soi", "Sauy"}, 2, 'u'},
    {"តេង", NULL, {"Teng", "Tieng", "Taeng"}, 2, 'u'},
    {"ឌួង", NULL, {"Duong", "Doung", "Duang"}, 2, 'u'},
    {"ពុំ", NULL, {"Pum", "Poum", "Pom"}, 2, 'u'},
};

static const struct name given_tab[] = {
    {"សុខា", NULL, {"Sok|ha", "Sok|har", "So|kha", "Sok|haa"}, 10, 'u'},
    {"ដារ៉ា", NULL, {"Da|ra", "Dar|ra", "Da|rah"}, 8, 'u'},
    {"សុភា", NULL, {"So|phea", "So|phia", "So|pha"}, 8, 'f'},
    {"សុភ័ក្រ", "សុភក្ត្រ", {"So|pheak", "So|phak", "So|pheakk"}, 6, 'u'},
    {"វិចិត្រ", NULL, {"Vi|chet", "Vi|chit", "Vi|cheth", "Vi|chetr"}, 6, 'm'},
    {"វណ្ណា", NULL, {"Van|na", "Va|na", "Van|nah"}, 6, 'u'},
    {"ចន្ថា", NULL, {"Chan|tha", "Chan|ta", "Chan|thar"}, 5, 'u'},
    {"បុប្ផា", NULL, {"Bo|pha", "Bo|phar", "Bop|pha"}, 5, 'f'},
    {"កុសល", NULL, {"Ko|sal", "Ku|sal", "Ko|sol"}, 5, 'm'},
    {"រិទ្ធី", NULL, {"Ri|thy", "Ri|thi", "Rit|thy"}, 5, 'm'},
    {"ផល្លា", NULL, {"Phal|la", "Pha|la", "Phal|lar"}, 5, 'u'},
    {"វុទ្ធី", NULL, {"Vu|thy", "Vu|thi", "Vout|thy"}, 5, 'm'},
    {"សុផល", NULL, {"So|phal", "So|phall", "So|phorl"}, 5, 'u'},
    {"សុផាត", NULL, {"So|phat", "So|phath", "So|phatt"}, 3, 'm'},
    {"សុភី", NULL, {"So|phy", "So|phi", "So|phey"}, 4, 'f'},
    {"សុធា", NULL, {"So|thea", "So|thia", "So|tha"}, 4, 'f'},
    {"សុវណ្ណ", NULL, {"So|vann", "So|van", "So|wann"}, 4, 'm'},
    {"សុវណ្ណារ៉ា", NULL, {"So|van|na|ra", "So|va|na|ra"}, 2, 'u'},
    {"សុគន្ធ", NULL, {"So|kun", "So|kunn", "So|khon"}, 3, 'u'},
    {"សុខុម", NULL, {"So|khom", "So|khum", "Sok|hom"}, 3, 'm'},
    {"សម្បត្តិ", NULL, {"Sam|bath", "Sam|bat", "Som|bath", "Sam|batt"}, 4, 'm'},
    {"សំណាង", NULL, {"Sam|nang", "Som|nang", "Sam|naing"}, 5, 'u'},
    {"សុផន", NULL, {"So|phorn", "So|phon", "So|phoan"}, 3, 'u'},
    {"ពិសិដ្ឋ", NULL, {"Pi|seth", "Pi|sith", "Pi|set"}, 4, 'm'},
    {"ពិសី", NULL, {"Pi|sey", "Pi|sei", "Pi|sy"}, 4, 'f'},
    {"ចិន្តា", NULL, {"Chen|da", "Chin|da", "Chen|dar"}, 4, 'f'},
    {"ចាន់នី", NULL, {"Chan|ny", "Cha|ny", "Chan|ni"}, 4, 'f'},
    {"ចាន់ថូ", NULL, {"Chan|thou", "Chan|thu", "Chan|tho"}, 3, 'f'},
    {"ចំរើន",
     "ចម្រើន",
     {"Cham|roeun", "Cham|rern", "Cham|roen", "Cham|reun"},
     4,
     'm'},
    {"កញ្ញា", NULL, {"Kan|ha", "Kag|na", "Kan|hia"}, 3, 'f'},
    {"គន្ធា", NULL, {"Kun|thea", "Kun|thia", "Kan|thea"}, 3, 'f'},
    {"លក្ខិណា", NULL, {"Lea|khe|na", "La|khe|na", "Lea|ke|na"}, 3, 'f'},
    {"មុន្នី", NULL, {"Mo|ny", "Mon|ny", "Mu|ni"}, 4, 'u'},
    {"ម៉ូនីកា", NULL, {"Mo|ni|ka", "Mo|ni|ca", "Mon|ni|ka"}, 2, 'f'},
    {"ណារី", NULL, {"Na|ry", "Na|ri", "Nar|ry"}, 4, 'f'},
    {"ណាវី", NULL, {"Na|vy", "Na|vi", "Na|vey"}, 3, 'f'},
    {"និមល", NULL, {"Ni|mol", "Ni|mul", "Ny|mol"}, 3, 'u'},
    {"ភាព", NULL, {"Pheap", "Phiep", "Pheab"}, 3, 'u'},
    {"រចនា", NULL, {"Ra|cha|na", "Rach|na", "Ra|cha|nar"}, 3, 'f'},
    {"រស្មី", "រះស្មី", {"Reak|smey", "Rak|smey", "Ras|mey", "Reas|mey"}, 4, 'f'},
    {"រតនា", NULL, {"Ra|ta|na", "Rat|ta|na", "Ra|tha|na"}, 3, 'f'},
    {"រតនៈ", NULL, {"Ra|ta|nak", "Rat|ta|nak", "Ra|tha|nak"}, 3, 'm'},
    {"ធីតា", NULL, {"Thi|da", "Thy|da", "Ti|da"}, 5, 'f'},
    {"ធារី", NULL, {"Thea|ry", "Thia|ry", "Tha|ry"}, 4, 'f'},
    {"វណ្ណៈ", NULL, {"Van|nak", "Va|nak", "Van|nack"}, 3, 'm'},
    {"វាសនា", NULL, {"Veas|na", "Vea|sa|na", "Vies|na"}, 4, 'u'},
    {"វិសាល", NULL, {"Vi|sal", "Ve|sal", "Wi|sal"}, 4, 'm'},
    {"វីរៈ", NULL, {"Vi|reak", "Vi|rak", "Vea|reak"}, 4, 'm'},
    {"វិបុល", NULL, {"Vi|bol", "Vi|bul", "Vi|boll"}, 3, 'm'},
    {"កុលាប", NULL, {"Ko|lab", "Ko|lap", "Ku|lap"}, 3, 'f'},
    {"លីណា", NULL, {"Li|na", "Lee|na", "Ly|na"}, 3, 'f'},
    {"ម្លិះ", NULL, {"Ma|lis", "Mlis", "Ma|leh"}, 3, 'f'},
    {"ម៉ាលី", NULL, {"Ma|ly", "Ma|li", "Mal|ly"}, 4, 'f'},
    {"រដ្ឋា", NULL, {"Ro|tha", "Rot|tha", "Ra|tha"}, 4, 'u'},
    {"សារុន", NULL, {"Sa|run", "Sa|roun", "Sar|run"}, 3, 'm'},
    {"សារិទ្ធ", NULL, {"Sa|rith", "Sa|reth", "Sa|rit"}, 3, 'm'},
    {"សីហា", NULL, {"Sey|ha", "Sei|ha", "Sei|ya"}, 4, 'm'},
    {"សុម៉ាលី", NULL, {"So|ma|ly", "So|ma|li", "Som|ma|ly"}, 3, 'f'},
    {"សុភាព", NULL, {"So|pheap", "So|phiep", "So|pheab"}, 4, 'u'},
    {"សុរិយា", NULL, {"So|ri|ya", "Sor|ya", "Sor|ri|ya"}, 3, 'u'},
    {"ថាវី", NULL, {"Tha|vy", "Tha|vi", "Tha|vey"}, 3, 'f'},
    {"វណ្ណី", NULL, {"Van|ny", "Va|ny", "Van|ni"}, 3, 'f'},
    {"វត្តី", NULL, {"Va|tey", "Vat|tey", "Va|tei"}, 2, 'f'},
    {"ឆាយា", NULL, {"Chha|ya", "Cha|ya", "Chhay|ya"}, 2, 'f'},
    {"ប៊ុនធឿន", NULL, {"Bun|thoeun", "Bun|thoen", "Bun|thoeurn"}, 2, 'm'},
    {"ប៊ុនណា", NULL, {"Bun|na", "Bu|na", "Bun|nah"}, 3, 'm'},
    {"បូរី", NULL, {"Bo|rey", "Bo|ry", "Bo|ri"}, 3, 'm'},
    {"ដាលីន", NULL, {"Da|lin", "Da|line", "Da|linn"}, 3, 'f'},
    {"ដាវី", NULL, {"Da|vy", "Da|vi", "Da|vey"}, 3, 'f'},
    {"កក្កដា", NULL, {"Ka|ka|da", "Kak|ka|da", "Kak|ada"}, 2, 'm'},
    {"មករា", NULL, {"Ma|ka|ra", "Mak|ka|ra", "Mea|ka|ra"}, 3, 'u'},
    {"មេសា", NULL, {"Me|sa", "Mey|sa", "Mei|sa"}, 3, 'f'},
    {"មាន", NULL, {"Mean", "Mien", "Meann"}, 2, 'm'},
    {"ណារិទ្ធ", NULL, {"Na|rith", "Na|reth", "Na|rit"}, 3, 'm'},
    {"នីតា", NULL, {"Ni|ta", "Nit|ta", "Ny|ta"}, 2, 'f'},
    {"ភិរម្យ", NULL, {"Phi|rum", "Phi|rom", "Phy|rum"}, 3, 'u'},
    {"រ៉ានី", NULL, {"Ra|ny", "Ra|ni", "Ran|ny"}, 3, 'f'},
    {"រក្សា", NULL, {"Reak|sa", "Rak|sa", "Reak|saa"}, 3, 'u'},
    {"ស៊ីណាត", NULL, {"Si|nath", "Si|nat", "Sy|nath"}, 2, 'm'},
    {"សុជាតិ", NULL, {"So|cheat", "So|chiet", "So|chet"}, 4, 'm'},
    {"សុធារ៉ា", NULL, {"So|the|a|ra", "So|the|ra", "So|thia|ra"}, 3, 'f'},
    {"សុធី", NULL, {"So|thy", "So|thi", "Sot|thy"}, 3, 'u'},
    {"តុលា", NULL, {"To|la", "Tu|la", "To|lar"}, 3, 'm'},
    {"ធារិទ្ធ", NULL, {"Thea|rith", "Thea|rit", "Thea|reth"}, 3, 'm'},
    {"វិជ្ជា", NULL, {"Vi|chea", "Vi|chia", "Vij|ja"}, 3, 'm'},
    {"វុទ្ធា", NULL, {"Vu|thea", "Vu|tha", "Vut|thea"}, 3, 'm'},
    {"លីហេង", NULL, {"Ly+heng", "Li+heng", "Lee+heng"}, 2, 'm'},
    {"ម៉េង", NULL, {"Meng", "Meang", "Mengg"}, 2, 'm'},
    {"ឧត្តម", NULL, {"Ou|dom", "U|dom", "O|dom"}, 3, 'm'},
    {"ផាន់ណា", NULL, {"Phan|na", "Pha|na", "Phan|nah"}, 3, 'u'},
    {"ភក្តី", NULL, {"Pheak|dey", "Pheak|dei", "Peak|dey", "Phak|dey"}, 3, 'u'},
    {"ពុទ្ធា", NULL, {"Pu|thea", "Put|thea", "Pu|tha"}, 2, 'm'},
    {"សុខន", NULL, {"Sok|horn", "Sok|hon", "So|khorn"}, 3, 'u'},
    {"សុផា", NULL, {"So|pha", "So|phar", "Sop|pha"}, 3, 'f'},
    {"វណ្ឌី", NULL, {"Van|dy", "Van|di", "Van|dey"}, 2, 'm'},
    {"សារ៉ុម", NULL, {"Sa|rom", "Sa|roum", "Sar|rom"}, 2, 'f'},
    {"កណិកា", NULL, {"Ka|ni|ka", "Kan|ni|ka", "Ka|nik|ka"}, 2, 'f'},
    {"លាភ", NULL, {"Leap", "Liep", "Leab"}, 2, 'u'},
    {"ចន្ធី", NULL, {"Chan|thy", "Chan|thi", "Chan|they"}, 3, 'u'},
    {"ជីវ័ន", NULL, {"Chi|von", "Chy|von", "Chi|vorn"}, 2, 'f'},
    {"នារី", NULL, {"Nea|ry", "Nea|ri", "Nia|ry"}, 3, 'f'},
    {"សុគន្ធា", NULL, {"So|kun|thea", "So|kun|thia", "So|kon|thea"}, 3, 'f'},
    {"វឌ្ឍនា", NULL, {"Vat|tha|na", "Va|tha|na", "Wat|ha|na"}, 3, 'u'},
    {"ពិសាល", NULL, {"Pi|sal", "Pi|sall", "Py|sal"}, 2, 'm'},
    {"សំអាត", NULL, {"Sam|at", "Som|at", "Sam|art"}, 2, 'u'},
    {"ស្រីនុច", NULL, {"Srey+nuch", "Srei+nuch", "Srey+noch"}, 2, 'f'},
    {"សោភ័ណ", NULL, {"Sao|phoan", "Sou|phorn", "Sao|phan"}, 2, 'f'},
    {"ចរិយា", NULL, {"Cha|ri|ya", "Cha|rya", "Cha|ria"}, 2, 'f'},
    {"ប៊ុនថា", NULL, {"Bun|tha", "Boun|tha", "Bun|thar"}, 2, 'm'},
    {"ឧស្សាហ៍", NULL, {"Ous|sa", "U|sa", "Ou|sa"}, 2, 'u'},
    {"ពន្លក", NULL, {"Pon|lok", "Pon|leuk", "Pun|lok"}, 2, 'u'},
    {"សាវឿន", NULL, {"Sa|voeun", "Sa|voeurn", "Sa|vuen"}, 2, 'm'},
    {"ហុង", NULL, {"Hong", "Houng", "Hung"}, 2, 'u'},
    {"ឡេង", NULL, {"Leng", "Lieng", "Laeng"}, 2, 'u'},
    {"ស៊ីថា", NULL, {"Si|tha", "Sy|tha", "Sei|tha"}, 2, 'f'},
    {"សុផានី", NULL, {"So|pha|ny", "So|pha|ni", "Sop|ha|ny"}, 2, 'f'},
    {"រ៉ូហ្សា", NULL, {"Ro|sa", "Ro|za", "Rou|sa"}, 1, 'f'},
    {"ស្រីអូន", NULL, {"Srey+oun", "Srei+oun", "Srey+on"}, 2, 'f'},
    {"ធីតារ៉ា", NULL, {"Thi|da|ra", "Ti|da|ra", "Thy|da|ra"}, 1, 'f'},
    {"វិឆ្ឆិកា", NULL, {"Vich|chi|ka", "Vi|chi|ka", "Vich|ka"}, 1, 'f'},
    {"គុណ", NULL, {"Kun", "Koun", "Kon"}, 2, 'm'},
    {"សំបូរ", NULL, {"Sam|bo", "Som|bo", "Sam|bor"}, 2, 'u'},
    {"ឧត្តរា", NULL, {"Ot|ta|ra", "Ut|ta|ra", "Ou|ta|ra"}, 1, 'f'},
    {"ពិសិទ្ធ", NULL, {"Pi|sith", "Pi|seth", "Py|sith"}, 2, 'm'},
    {"បញ្ញា", NULL, {"Pagn|na", "Pan|nha", "Pa|nha"}, 2, 'u'},
    {"វិមាន", NULL, {"Vi|mean", "Vi|mien", "Vy|mean"}, 1, 'u'},
    {"ឆវី", NULL, {"Chha|vy", "Cha|vy", "Chha|vi"}, 2, 'f'},
    {"កញ្ញារ័ត្ន", NULL, {"Kan|ha|roth", "Kag|na|rath"}, 1, 'f'},
    {"នីរ័ត្ន", NULL, {"Ni|roth", "Ni|rath", "Ny|roth"}, 1, 'f'},
    {"ពិជ័យ", NULL, {"Pi|chey", "Pi|chay", "Py|chey"}, 1, 'm'},
    {"ធានី", NULL, {"Thea|ny", "Tha|ny", "Thea|ni"}, 1, 'f'},
    {"ស្រស់", NULL, {"Sros", "Sruos", "Srous"}, 1, 'f'},
    {"អាត", NULL, {"At", "Art", "Ath"}, 1, 'm'},
    {"ចិត្រា", NULL, {"Chet|tra", "Chit|tra", "Chet|ra"}, 1, 'f'},
    {"ផានិត", NULL, {"Pha|nith", "Pha|nit", "Pha|neth"}, 2, 'f'},
    {"រ៉ាវី", NULL, {"Ra|vy", "Ra|vi", "Ra|vey"}, 1, 'f'},
    {"សុវត្ថិ", NULL, {"So|vath", "So|vat", "So|wath"}, 1, 'm'},
    {"វណ្ណារី", NULL, {"Van|na|ry", "Va|na|ry", "Van|na|ri"}, 1, 'f'},
    {"ប៉ូលីន", NULL, {"Po|lin", "Pau|lin", "Po|line"}, 1, 'f'},
    {"គឹមសាន", NULL, {"Kim+san", "Kim+sann", "Kym+san"}, 1, 'u'},
    {"ណាត", NULL, {"Nath", "Nat", "Natt"}, 1, 'm'},
    {"ម៉េងលី", NULL, {"Meng+ly", "Meng+li", "Meang+ly"}, 1, 'u'},
};

/* Halves of the compound given names: prefix x suffix. */
static const struct name prefix_tab[] = {
    {"ស្រី", NULL, {"Srey", "Srei", "Sray"}, 6, 'f'},
    {"សុខ", NULL, {"Sok", "Sokh", "Sauk"}, 3, 'u'},
    {"ចាន់", NULL, {"Chan", "Chanh", "Chann"}, 2, 'u'},
    {"គីម", NULL, {"Kim", "Kym", "Khim"}, 2, 'u'},
    {"ប៊ុន", NULL, {"Bun", "Boun", "Bunn"}, 2, 'm'},
    {"លី", NULL, {"Ly", "Li", "Lee"}, 1, 'u'},
    {"សំ", NULL, {"Sam", "Som", "Samm"}, 1, 'u'},
};

static const struct name suffix_tab[] = {
    {"មុំ", NULL, {"Mom", "Mum", "Mum"}, 1, 'u'},
    {"នាង", NULL, {"Neang", "Niang", "Neang"}, 1, 'u'},
    {"ពៅ", NULL, {"Pov", "Pou", "Pao"}, 1, 'u'},
    {"ល័ក្ខ", NULL, {"Leak", "Leakh", "Liek"}, 1, 'u'},
    {"និច", NULL, {"Nich", "Nech", "Nith"}, 1, 'u'},
    {"កា", NULL, {"Ka", "Kar", "Kaa"}, 1, 'u'},
    {"ណា", NULL, {"Na", "Nar", "Naa"}, 1, 'u'},
    {"ហេង", NULL, {"Heng", "Hieng", "Haeng"}, 1, 'u'},
    {"ធី", NULL, {"Thy", "Thi", "They"}, 1, 'u'},
    {"ដា", NULL, {"Da", "Dar", "Daa"}, 1, 'u'},
    {"នី", NULL, {"Ny", "Ni", "Ney"}, 1, 'u'},
    {"រ័ត្ន", NULL, {"Roth", "Rath", "Rott"}, 1, 'u'},
    {"លីន", NULL, {"Lin", "Linn", "Leen"}, 1, 'u'},
    {"វី", NULL, {"Vy", "Vi", "Vey"}, 1, 'u'},
    {"ថូ", NULL, {"Thou", "Tho", "Thu"}, 1, 'u'},
    {"រ៉ា", NULL, {"Ra", "Rah", "Raa"}, 1, 'u'},
    {"ស្រេង", NULL, {"Sreng", "Srieng", "Sraeng"}, 1, 'u'},
    {"ហួរ", NULL, {"Hour", "Huor", "Hor"}, 1, 'u'},
    {"ឈុន", NULL, {"Chhun", "Chhoun", "Chun"}, 1, 'u'},
    {"រិទ្ធ", NULL, {"Rith", "Reth", "Rit"}, 1, 'u'},
    {"ឡាយ", NULL, {"Lay", "Lai", "Laiy"}, 1, 'u'},
    {"ថា", NULL, {"Tha", "Thar", "Ta"}, 1, 'u'},
    {"ម៉ៅ", NULL, {"Mao", "Mau", "Maow"}, 1, 'u'},
    {"អេង", NULL, {"Eng", "Ieng", "Aeng"}, 1, 'u'},
    {"ពិសី", NULL, {"Pisey", "Pisei", "Pisy"}, 1, 'u'},
};

/* Provinces: ISO number, weight (origin of trafficked persons), spellings
 * that model/province.c reads (tests/link/test_link_alt.sh checks). */
static const struct {
    int no;
    int w;
    const char *lat[3];
    const char *km;
} prov_tab[] = {
    {1,
     14,
     {"Banteay Meanchey", "Banteay Meanchay", "BANTEAY MEANCHEY"},
     "បន្ទាយមានជ័យ"},
    {2, 12, {"Battambang", "Batdambang", "BATTAMBANG"}, "បាត់ដំបង"},
    {3, 12, {"Kampong Cham", "Kompong Cham", "KAMPONG CHAM"}, "កំពង់ចាម"},
    {4,
     5,
     {"Kampong Chhnang", "Kompong Chhnang", "KAMPONG CHHNANG"},
     "កំពង់ឆ្នាំង"},
    {5, 5, {"Kampong Speu", "Kompong Speu", "Kampong Spoe"}, "កំពង់ស្ពឺ"},
    {6, 5, {"Kampong Thom", "Kompong Thom", "Kampong Thum"}, "កំពង់ធំ"},
    {7, 4, {"Kampot", "KAMPOT", "Kampot"}, "កំពត"},
    {8, 7, {"Kandal", "KANDAL", "Kandal"}, "កណ្ដាល"},
    {10, 2, {"Kratie", "Kracheh", "KRATIE"}, "ក្រចេះ"},
    {12, 8, {"Phnom Penh", "Phnum Penh", "PHNOM PENH"}, "ភ្នំពេញ"},
    {14, 13, {"Prey Veng", "PREY VENG", "Prey Veng"}, "ព្រៃវែង"},
    {15, 3, {"Pursat", "Pouthisat", "PURSAT"}, "ពោធិ៍សាត់"},
    {17, 6, {"Siem Reap", "Siem Reab", "Siem Riep"}, "សៀមរាប"},
    {20, 9, {"Svay Rieng", "SVAY RIENG", "Svay Rieng"}, "ស្វាយរៀង"},
    {21, 7, {"Takeo", "Takev", "TAKEO"}, "តាកែវ"},
    {22,
     2,
     {"Oddar Meanchey", "Otdar Meanchey", "Oddor Meanchey"},
     "ឧត្ដរមានជ័យ"},
    {25, 4, {"Tbong Khmum", "Tboung Khmum", "TBONG KHMUM"}, "ត្បូងឃ្មុំ"},
};

/* Village names: a kind of place and a word that qualifies it. */
static const struct name vkind_tab[] = {
    {"ព្រៃ", NULL, {"Prey", "Prei", "Prey"}, 1, 'u'},
    {"ត្រពាំង", NULL, {"Trapeang", "Trapaing", "Trapang"}, 1, 'u'},
    {"កំពង់", NULL, {"Kampong", "Kompong", "Kg."}, 1, 'u'},
    {"ទួល", NULL, {"Tuol", "Toul", "Tual"}, 1, 'u'},
    {"បឹង", NULL, {"Boeng", "Beng", "Boeung"}, 1, 'u'},
    {"ស្វាយ", NULL, {"Svay", "Svai", "Svay"}, 1, 'u'},
    {"ចំការ", NULL, {"Chamkar", "Chamka", "Chamkar"}, 1, 'u'},
    {"អូរ", NULL, {"Ou", "O", "Ou"}, 1, 'u'},
    {"ស្រែ", NULL, {"Srae", "Sre", "Srei"}, 1, 'u'},
    {"គោក", NULL, {"Kouk", "Kok", "Kouk"}, 1, 'u'},
};

static const struct name vword_tab[] = {
    {"ធំ", NULL, {"Thom", "Tom", "Thum"}, 1, 'u'},
    {"ថ្មី", NULL, {"Thmei", "Thmey", "Tmey"}, 1, 'u'},
    {"ចាស់", NULL, {"Chas", "Chah", "Chass"}, 1, 'u'},
    {"កណ្ដាល", NULL, {"Kandal", "Kondal", "Kandaal"}, 1, 'u'},
    {"ក្រោម", NULL, {"Kraom", "Krom", "Kroam"}, 1, 'u'},
    {"លើ", NULL, {"Leu", "Ler", "Loeu"}, 1, 'u'},
    {"ខ្ពស់", NULL, {"Khpos", "Khpuos", "Kpos"}, 1, 'u'},
    {"ត្បូង", NULL, {"Tboung", "Tbong", "Tbaung"}, 1, 'u'},
    {"ជើង", NULL, {"Cheung", "Choeung", "Cheng"}, 1, 'u'},
    {"ឫស្សី", NULL, {"Russei", "Ruessei", "Reussey"}, 1, 'u'},
    {"ជ្រៃ", NULL, {"Chrey", "Chrei", "Chrai"}, 1, 'u'},
    {"ត្រាច", NULL, {"Trach", "Trach", "Trac"}, 1, 'u'},
    {"ដូង", NULL, {"Doung", "Dong", "Duong"}, 1, 'u'},
    {"ក្ដី", NULL, {"Kdei", "Kdey", "Kdai"}, 1, 'u'},
    {"ស្នួល", NULL, {"Snuol", "Snoul", "Snuel"}, 1, 'u'},
    {"ស្លា", NULL, {"Sla", "Slaa", "Sla"}, 1, 'u'},
    {"ក្រសាំង", NULL, {"Krasang", "Krasaing", "Kresang"}, 1, 'u'},
    {"អំពិល", NULL, {"Ampil", "Ampel", "Ompil"}, 1, 'u'},
    {"ពពេល", NULL, {"Popel", "Pupel", "Popeal"}, 1, 'u'},
    {"ល្ហុង", NULL, {"Lhong", "Lahong", "Lhoung"}, 1, 'u'},
};

static const char *const phone_pfx[] = {
    "012", "011", "010", "015", "016", "017", "069", "070", "077", "078",
    "085", "086", "087", "089", "092", "093", "095", "096", "097", "098"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A given name as the generator holds it: base names and compounds. */
struct gname {
    char km[64];
    char km2[64];
    char rom[MAXVAR][48];
    int nrom;
    int w;
    char sex;
};

struct person {
    int given, family; /* ids in the active pools */
    int gvar, fvar;    /* usual spellings */
    int birth;         /* YYYYMMDD */
    int prov;          /* index in prov_tab */
    int vkind, vword;
    uint32_t phone; /* 8 or 9 digits after the 0, 0 none */
    int pfx;
    char sex;
    uint8_t vis; /* 0, 1, 2: visibility 0.5, 1, 2 */
    uint8_t sib;
};

/* One list's rows, before they are shuffled and numbered. */
struct list {
    struct ctis_buf rows;
    size_t *off;
    size_t n, cap;
};

struct gen {
    struct ctis_rng r;
    struct gname *given;
    int ngiven;
    int nfamily;
    long gw_total, fw_total;
};

static int chance(struct gen *g, double p)
{
    return ctis_rng_double(&g->r) < p;
}

static int below(struct gen *g, int n)
{
    return (int)ctis_rng_below(&g->r, (uint64_t)n);
}

static int count_rom(const char *const *rom)
{
    int n = 0;

    while (n < MAXVAR && rom[n] != NULL) {
        n++;
    }
    return n;
}

/* A spelling drawn by weight: 55, 25, 12, 8 for the first four. */
static int draw_var(struct gen *g, int nrom)
{
    static const int w[MAXVAR] = {55, 25, 12, 8};
    int tot = 0;
    int i;
    int x;

    for (i = 0; i < nrom; i++) {
        tot += w[i];
    }
    x = below(g, tot);
    for (i = 0; i < nrom; i++) {
        if (x < w[i]) {
            return i;
        }
        x -= w[i];
    }
    return 0;
}

static void build_given(struct gen *g, int limit)
{
    size_t i, j;
    int n = 0;
    size_t cap = NELEM(given_tab) + NELEM(prefix_tab) * NELEM(suffix_tab);

    g->given = ctis_calloc(cap, sizeof *g->given);
    if (g->given == NULL) {
        fprintf(stderr, "link_alt: out of memory\n");
        exit(1);
    }
    for (i = 0; i < NELEM(given_tab); i++) {
        const struct name *s = &given_tab[i];
        struct gname *d = &g->given[n++];
        int k;

        ctis_strlcpy(d->km, s->km, sizeof d->km);
        ctis_strlcpy(d->km2, s->km2 != NULL ? s->km2 : "", sizeof d->km2);
        d->nrom = count_rom(s->rom);
        for (k = 0; k < d->nrom; k++) {
            ctis_strlcpy(d->rom[k], s->rom[k], sizeof d->rom[k]);
        }
        d->w = s->w * 4;
        d->sex = s->sex;
    }
    for (i = 0; i < NELEM(prefix_tab); i++) {
        for (j = 0; j < NELEM(suffix_tab); j++) {
            const struct name *a = &prefix_tab[i];
            const struct name *b = &suffix_tab[j];
            struct gname *d = &g->given[n++];
            int k;

            snprintf(d->km, sizeof d->km, "%s%s", a->km, b->km);
            d->nrom = 3;
            for (k = 0; k < 3; k++) {
                /* Mostly the first spelling of the suffix with the k-th of
                 * the prefix, and the other way round. */
                const char *ra = a->rom[k];
                const char *rb = b->rom[k == 1 ? 0 : k];
                char lower[24];
                size_t m;

                ctis_strlcpy(lower, rb, sizeof lower);
                for (m = 0; lower[m] != '\0'; m++) {
                    if (lower[m] >= 'A' && lower[m] <= 'Z') {
                        lower[m] = (char)(lower[m] - 'A' + 'a');
                    }
                }
                snprintf(d->rom[k], sizeof d->rom[k], "%s+%s", ra, lower);
            }
            d->w = a->w * (j < 8 ? 3 : 1);
            d->sex = a->sex;
        }
    }
    g->ngiven = n;
    if (limit > 0 && limit < n) {
        g->ngiven = limit;
    }
    g->gw_total = 0;
    for (i = 0; i < (size_t)g->ngiven; i++) {
        g->gw_total += g->given[i].w;
    }
}

static int draw_weighted_given(struct gen *g, char sex)
{
    for (;;) {
        long x = (long)ctis_rng_below(&g->r, (uint64_t)g->gw_total);
        int i;

        for (i = 0; i < g->ngiven; i++) {
            if (x < g->given[i].w) {
                break;
            }
            x -= g->given[i].w;
        }
        if (i == g->ngiven) {
            i = g->ngiven - 1;
        }
        if (g->given[i].sex == 'u' || g->given[i].sex == sex ||
            chance(g, 0.03)) {
            return i;
        }
    }
}

static int draw_family(struct gen *g)
{
    long x = (long)ctis_rng_below(&g->r, (uint64_t)g->fw_total);
    int i;

    for (i = 0; i < g->nfamily; i++) {
        if (x < family_tab[i].w) {
            return i;
        }
        x -= family_tab[i].w;
    }
    return g->nfamily - 1;
}

static int draw_prov(struct gen *g)
{
    int tot = 0;
    size_t i;
    int x;

    for (i = 0; i < NELEM(prov_tab); i++) {
        tot += prov_tab[i].w;
    }
    x = below(g, tot);
    for (i = 0; i < NELEM(prov_tab); i++) {
        if (x < prov_tab[i].w) {
            return (int)i;
        }
        x -= prov_tab[i].w;
    }
    return 0;
}

/* A birth date for a person identified around 2020: most are 14 to 25,
 * some children, some older. */
static int draw_birth(struct gen *g)
{
    double u = ctis_rng_double(&g->r);
    int age;
    long d;

    if (u < 0.08) {
        age = 9 + below(g, 5);
    } else if (u < 0.68) {
        age = 14 + below(g, 12);
    } else if (u < 0.94) {
        age = 26 + below(g, 15);
    } else {
        age = 41 + below(g, 15);
    }
    d = ctis_date_days((2020 - age) * 10000 + 101) + below(g, 365);
    return ctis_date_from_days(d);
}

static void make_person(struct gen *g, struct person *p,
                        const struct person *sib_of)
{
    memset(p, 0, sizeof *p);
    p->sex = chance(g, 0.68) ? 'f' : 'm';
    if (sib_of != NULL) {
        long d;

        p->family = sib_of->family;
        p->prov = sib_of->prov;
        p->vkind = sib_of->vkind;
        p->vword = sib_of->vword;
        d = 300 + below(g, 1500);
        if (sib_of->birth < 20050101 && chance(g, 0.5)) {
            d = -d;
        }
        d = ctis_date_days(sib_of->birth) - d;
        p->birth = ctis_date_from_days(d);
        p->sib = 1;
        do {
            p->given = draw_weighted_given(g, p->sex);
        } while (p->given == sib_of->given);
    } else {
        p->family = draw_family(g);
        p->given = draw_weighted_given(g, p->sex);
        p->birth = draw_birth(g);
        p->prov = draw_prov(g);
        p->vkind = below(g, (int)NELEM(vkind_tab));
        p->vword = below(g, (int)NELEM(vword_tab));
    }
    p->gvar = draw_var(g, g->given[p->given].nrom);
    p->fvar = draw_var(g, count_rom(family_tab[p->family].rom));
    if (chance(g, 0.55)) {
        p->pfx = below(g, (int)NELEM(phone_pfx));
        p->phone = (uint32_t)(100000 + ctis_rng_below(&g->r, 900000));
    }
    p->vis = (uint8_t)below(g, 3);
}

/* QWERTY neighbours of each lower-case letter. */
static const char *const kb_near[26] = {
    "qwsz",   "vghn", "xdfv",   "serfcx", "wsdr",   "drtgvc", "ftyhbv",
    "gyujnb", "ujko", "huikmn", "jiolm",  "kop",    "njk",    "bhjm",
    "iklp",   "ol",   "wa",     "edft",   "awedxz", "rfgy",   "yhji",
    "cfgb",   "qase", "zsdc",   "tghu",   "asx"};

/* One typo in an ASCII word, in place (cap bytes). */
static void typo_latin(struct gen *g, char *s, size_t cap)
{
    size_t n = strlen(s);
    size_t i;
    int kind = below(g, 4);

    if (n < 3) {
        return;
    }
    for (i = 0; i < n; i++) {
        if ((unsigned char)s[i] >= 0x80) {
            return; /* only plain ASCII spellings get a Latin typo */
        }
    }
    i = 1 + (size_t)below(g, (int)n - 1);
    if (s[i] == ' ' || s[i - 1] == ' ') {
        return;
    }
    if (kind == 0) {
        char c = s[i];
        int up = c >= 'A' && c <= 'Z';
        int lc = up ? c - 'A' : c - 'a';

        if (lc >= 0 && lc < 26) {
            const char *nb = kb_near[lc];
            char r = nb[below(g, (int)strlen(nb))];

            s[i] = up ? (char)(r - 'a' + 'A') : r;
        }
    } else if (kind == 1) {
        memmove(s + i, s + i + 1, n - i);
    } else if (kind == 2 && n + 2 < cap) {
        memmove(s + i + 1, s + i, n - i + 1);
    } else if (i + 1 < n && s[i + 1] != ' ') {
        char c = s[i];

        s[i] = s[i + 1];
        s[i + 1] = c;
    }
}

/* One typo in Khmer text: a dependent vowel, sign or subscript dropped. */
static void typo_khmer(struct gen *g, char *s)
{
    size_t pos[32];
    size_t lens[32];
    int n = 0;
    size_t i = 0;
    size_t len = strlen(s);

    while (i < len) {
        unsigned char c0 = (unsigned char)s[i];

        if (c0 == 0xE1 && i + 3 <= len) {
            unsigned cp = ((c0 & 0x0Fu) << 12) |
                          (((unsigned char)s[i + 1] & 0x3Fu) << 6) |
                          ((unsigned char)s[i + 2] & 0x3Fu);

            if (cp == 0x17D2 && i + 6 <= len && n < 32) {
                pos[n] = i;
                lens[n++] = 6; /* coeng and its consonant */
            } else if (cp >= 0x17B6 && cp <= 0x17D3 && n < 32 && i > 0) {
                pos[n] = i;
                lens[n++] = 3;
            }
            i += 3;
        } else {
            i++;
        }
    }
    if (n == 0) {
        return;
    }
    i = (size_t)below(g, n);
    if (pos[i] + lens[i] > len) {
        return;
    }
    memmove(s + pos[i], s + pos[i] + lens[i], len - pos[i] - lens[i] + 1);
}

enum { CASE_TITLE, CASE_UPPER, CASE_LOWER };

/* Write a spelling: '|' a syllable boundary (a space with probability
 * psyl), '+' a compound boundary (a space with probability pcmp); the
 * word after a space is capitalised. *split is set when a '|' was
 * written as a space. */
static void render(struct gen *g, const char *spell, int cas, double psyl,
                   double pcmp, char *out, size_t cap, int *split)
{
    size_t j = 0;
    int cap_next = 1;
    const char *s;

    for (s = spell; *s != '\0' && j + 2 < cap; s++) {
        char c = *s;

        if (c == '|' || c == '+') {
            if (chance(g, c == '|' ? psyl : pcmp)) {
                out[j++] = ' ';
                cap_next = 1;
                if (c == '|') {
                    *split = 1;
                }
            }
            continue;
        }
        if (cas == CASE_UPPER && c >= 'a' && c <= 'z') {
            c = (char)(c - 'a' + 'A');
        } else if (cas == CASE_LOWER && c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        } else if (cas == CASE_TITLE && cap_next && c >= 'a' && c <= 'z') {
            c = (char)(c - 'a' + 'A');
        } else if (cas == CASE_TITLE && !cap_next && c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        }
        cap_next = 0;
        out[j++] = c;
    }
    out[j] = '\0';
}

static void add_row(struct list *l, const char *row)
{
    if (l->n == l->cap) {
        size_t nc = l->cap != 0 ? l->cap * 2 : 1024;
        size_t *no = ctis_realloc(l->off, nc * sizeof *no);

        if (no == NULL) {
            fprintf(stderr, "link_alt: out of memory\n");
            exit(1);
        }
        l->off = no;
        l->cap = nc;
    }
    l->off[l->n++] = l->rows.len;
    if (ctis_buf_puts(&l->rows, row) != 0 ||
        ctis_buf_putc(&l->rows, '\0') != 0) {
        fprintf(stderr, "link_alt: out of memory\n");
        exit(1);
    }
}

/* The record of person p (number pid) in list k, appended to l. */
static void write_record(struct gen *g, const struct person *p, long pid, int k,
                         int dup, struct list *l)
{
    const struct gname *gn = &g->given[p->given];
    const struct name *fn = &family_tab[p->family];
    int style = k % 3;
    double pkm, pboth, pfull;
    int cas = CASE_TITLE;
    int gvar, fvar;
    int km_only = 0, both = 0, full = 0;
    int typo = 0, swap = 0, split = 0;
    char gl[64] = "", fl[64] = "", gk[96] = "", fk[96] = "";
    char full_s[200] = "";
    char bdate[16] = "", byear[12] = "", age[12] = "", age_at[16] = "";
    char prov[64] = "", place[128] = "", phone[32] = "";
    const char *sex = "";
    const char *bkind = "none";
    const char *berr = "ok";
    const char *script;
    char row[1024];
    long idate;

    /* Script and form, by agency style. */
    pkm = style == 0 ? 0.10 : style == 1 ? 0.30 : 0.35;
    pboth = style == 0 ? 0.05 : style == 1 ? 0.40 : 0.25;
    pfull = style == 2 ? 0.50 : 0.0;
    {
        double u = ctis_rng_double(&g->r);

        if (u < pkm) {
            km_only = 1;
        } else if (u < pkm + pboth) {
            both = 1;
        }
    }
    full = chance(g, pfull);
    if (style == 0) {
        cas = chance(g, 0.4)    ? CASE_UPPER
              : chance(g, 0.05) ? CASE_LOWER
                                : CASE_TITLE;
    } else {
        cas = chance(g, 0.12)   ? CASE_UPPER
              : chance(g, 0.04) ? CASE_LOWER
                                : CASE_TITLE;
    }
    gvar = chance(g, 0.5) ? p->gvar : draw_var(g, gn->nrom);
    fvar = chance(g, 0.5) ? p->fvar : draw_var(g, count_rom(fn->rom));
    if (!km_only) {
        render(g, gn->rom[gvar], cas, 0.06, 0.5, gl, sizeof gl, &split);
        render(g, fn->rom[fvar], cas, 0.0, 0.0, fl, sizeof fl, &split);
    }
    if (km_only || both) {
        ctis_strlcpy(gk,
                     gn->km2[0] != '\0' && chance(g, 0.2) ? gn->km2 : gn->km,
                     sizeof gk);
        ctis_strlcpy(fk, fn->km2 != NULL && chance(g, 0.2) ? fn->km2 : fn->km,
                     sizeof fk);
    }
    if (chance(g, 0.07)) {
        typo = 1;
        if (!km_only && (!both || chance(g, 0.7))) {
            if (chance(g, 0.6)) {
                typo_latin(g, gl, sizeof gl);
            } else {
                typo_latin(g, fl, sizeof fl);
            }
        } else {
            typo_khmer(g, chance(g, 0.6) ? gk : fk);
        }
    }
    if (full) {
        /* One field, family name first mostly (the Khmer order). */
        int fam_first = chance(g, 0.75);
        const char *a = km_only ? fk : fl;
        const char *b = km_only ? gk : gl;
        const char *sep = km_only && chance(g, 0.1) ? "" : " ";

        if (!fam_first) {
            const char *t = a;

            a = b;
            b = t;
            swap = 1;
        }
        snprintf(full_s, sizeof full_s, "%s%s%s", a, sep, b);
        gl[0] = fl[0] = gk[0] = fk[0] = '\0';
        script = km_only ? "km" : "lat";
        both = 0;
    } else {
        if (chance(g, 0.05)) {
            char t[96];

            swap = 1;
            ctis_strlcpy(t, gl, sizeof t);
            ctis_strlcpy(gl, fl, sizeof gl);
            ctis_strlcpy(fl, t, sizeof fl);
            ctis_strlcpy(t, gk, sizeof t);
            ctis_strlcpy(gk, fk, sizeof gk);
            ctis_strlcpy(fk, t, sizeof fk);
        }
        script = km_only ? "km" : both ? "both" : "lat";
    }

    /* The interview date, and the birth as the agency writes it. */
    idate = ctis_date_days(20160101) + below(g, 3650);
    {
        double u = ctis_rng_double(&g->r);
        double pd = style == 0 ? 0.60 : style == 1 ? 0.25 : 0.30;
        double py = style == 0 ? 0.15 : style == 1 ? 0.10 : 0.35;
        double pa = style == 0 ? 0.10 : style == 1 ? 0.45 : 0.15;
        int y = p->birth / 10000;
        int m = p->birth / 100 % 100;
        int d = p->birth % 100;

        if (u < pd) {
            double e = ctis_rng_double(&g->r);

            bkind = "date";
            if (e < 0.03 && d <= 12 && d != m) {
                int t = d;

                d = m;
                m = t;
                berr = "dmswap";
            } else if (e < 0.07) {
                y += chance(g, 0.5) ? 1 : -1;
                if (m == 2 && d == 29) {
                    d = 28;
                }
                berr = "year1";
            } else if (e < 0.13) {
                m = 1;
                d = 1;
                berr = "jan1";
            }
            if (chance(g, 0.04)) {
                snprintf(bdate, sizeof bdate, "%04d-%02d", y, m);
                bkind = "month";
            } else {
                snprintf(bdate, sizeof bdate, "%04d-%02d-%02d", y, m, d);
            }
        } else if (u < pd + py) {
            bkind = "year";
            if (chance(g, 0.08)) {
                y += chance(g, 0.5) ? 1 : -1;
                berr = "year1";
            }
            snprintf(byear, sizeof byear, "%d", y);
        } else if (u < pd + py + pa) {
            int at = ctis_date_from_days(idate);
            int a = ctis_date_age(p->birth, at);

            bkind = "age";
            if (style == 1 && chance(g, 0.33)) {
                a += 1;
                berr = "kage";
            } else if (chance(g, 0.10)) {
                a += chance(g, 0.5) ? 1 : -1;
                berr = "age1";
            }
            if (a < 0) {
                a = 0;
            }
            snprintf(age, sizeof age, "%d", a);
            ctis_date_format(at, age_at);
        }
    }

    /* Sex, rarely wrong or missing. */
    if (!chance(g, 0.04)) {
        char s = p->sex;

        if (chance(g, 0.01)) {
            s = s == 'f' ? 'm' : 'f';
        }
        sex = s == 'f' ? (chance(g, 0.2) ? "F" : "female")
                       : (chance(g, 0.2) ? "M" : "male");
    }

    /* Province: sometimes missing, sometimes another one (where the
     * person was found rather than came from). */
    if (chance(g, style == 0 ? 0.9 : style == 1 ? 0.8 : 0.7)) {
        int pi = p->prov;

        if (chance(g, 0.04)) {
            pi = draw_prov(g);
        }
        if (km_only && chance(g, 0.6)) {
            ctis_strlcpy(prov, prov_tab[pi].km, sizeof prov);
        } else if (chance(g, 0.05)) {
            snprintf(prov, sizeof prov, "KH-%d", prov_tab[pi].no);
        } else {
            ctis_strlcpy(prov, prov_tab[pi].lat[draw_var(g, 3)], sizeof prov);
        }
    }

    /* Village, with the spelling of each word drawn, "Phum" or not. */
    if (chance(g, style == 0 ? 0.5 : style == 1 ? 0.7 : 0.4)) {
        const struct name *vk = &vkind_tab[p->vkind];
        const struct name *vw = &vword_tab[p->vword];

        if (km_only && chance(g, 0.7)) {
            snprintf(place, sizeof place, "%s%s%s", chance(g, 0.3) ? "ភូមិ" : "",
                     vk->km, vw->km);
        } else {
            char a[32], b[32];
            int dummy = 0;

            render(g, vk->rom[draw_var(g, 3)], cas, 0, 0, a, sizeof a, &dummy);
            render(g, vw->rom[draw_var(g, 3)], cas, 0, 0, b, sizeof b, &dummy);
            snprintf(place, sizeof place, "%s%s %s",
                     chance(g, 0.3) ? (cas == CASE_UPPER ? "PHUM " : "Phum ")
                                    : "",
                     a, b);
        }
    }

    /* Phone, in one of the ways it is written; now and then a new SIM. */
    if (p->phone != 0 && chance(g, style == 0 ? 0.3 : style == 1 ? 0.4 : 0.1)) {
        const char *pf = phone_pfx[p->pfx];
        uint32_t num = p->phone;
        int f = below(g, 4);

        if (chance(g, 0.15)) {
            num = (uint32_t)(100000 + ctis_rng_below(&g->r, 900000));
        }
        if (f == 0) {
            snprintf(phone, sizeof phone, "%s %03u %03u", pf,
                     (unsigned)(num / 1000), (unsigned)(num % 1000));
        } else if (f == 1) {
            snprintf(phone, sizeof phone, "%s%06u", pf, (unsigned)num);
        } else if (f == 2) {
            snprintf(phone, sizeof phone, "+855%s%06u", pf + 1, (unsigned)num);
        } else {
            snprintf(phone, sizeof phone, "%s-%03u-%03u", pf,
                     (unsigned)(num / 1000), (unsigned)(num % 1000));
        }
    }

    snprintf(row, sizeof row,
             "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%ld,%d,%d,%d,%s,%d,%d,"
             "%d,%d,%d,%d,%d,%s,%s,%d,%d",
             gl, fl, full_s, gk, fk, sex, bdate, byear, age, age_at, prov,
             place, phone, pid, p->given, p->family, prov_tab[p->prov].no,
             script, !km_only && (gvar != 0 || fvar != 0), km_only ? -1 : gvar,
             km_only ? -1 : fvar, typo, swap, full, split, bkind, berr, dup,
             p->sib);
    add_row(l, row);
}

static const char *const header =
    "record_id,given_name,family_name,full_name,given_name_km,"
    "family_name_km,sex,birth_date,birth_year,age,age_at,home_province,"
    "place,phone,person_id,t_given,t_family,t_prov,t_script,t_var,t_gvar,"
    "t_fvar,t_typo,t_swap,t_full,t_split,t_birth,t_berr,t_dup,t_sib";

/* Write list k in a random order, numbering its records. */
static int write_list(struct gen *g, const char *dir, int k, struct list *l)
{
    char path[4096];
    FILE *f;
    size_t i;

    snprintf(path, sizeof path, "%s/alt%d.csv", dir, k + 1);
    f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "link_alt: cannot write '%s'\n", path);
        return -1;
    }
    for (i = l->n; i > 1; i--) {
        size_t j = (size_t)ctis_rng_below(&g->r, i);
        size_t t = l->off[i - 1];

        l->off[i - 1] = l->off[j];
        l->off[j] = t;
    }
    fprintf(f, "%s\n", header);
    for (i = 0; i < l->n; i++) {
        fprintf(f, "%c%07zu,%s\n", 'a' + k, i + 1, l->rows.data + l->off[i]);
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "link_alt: cannot write '%s'\n", path);
        return -1;
    }
    return 0;
}

/* Print one name per line: kind, Khmer (and the second Khmer spelling
 * on a line of its own), its romanisations joined by '|', without the
 * syllable marks (a compound's halves joined, as on most documents). */
static void print_name(const char *kind, const char *km, const char *const *rom,
                       int nrom)
{
    int i;

    printf("%s\t%s\t", kind, km);
    for (i = 0; i < nrom; i++) {
        const char *c;

        if (i > 0) {
            putchar('|');
        }
        for (c = rom[i]; *c != '\0'; c++) {
            if (*c != '|' && *c != '+') {
                putchar(*c);
            }
        }
    }
    putchar('\n');
}

static void names_tsv(struct gen *g)
{
    int i;

    printf("kind\tkhmer\tromanisations\n");
    for (i = 0; i < (int)NELEM(family_tab); i++) {
        const struct name *n = &family_tab[i];

        print_name("family", n->km, n->rom, count_rom(n->rom));
        if (n->km2 != NULL) {
            print_name("family", n->km2, n->rom, count_rom(n->rom));
        }
    }
    for (i = 0; i < g->ngiven; i++) {
        const struct gname *n = &g->given[i];
        const char *rom[MAXVAR];
        int k;

        for (k = 0; k < n->nrom; k++) {
            rom[k] = n->rom[k];
        }
        print_name("given", n->km, rom, n->nrom);
        if (n->km2[0] != '\0') {
            print_name("given", n->km2, rom, n->nrom);
        }
    }
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: link_alt [--persons N] [--lists K] [--seed S]\n"
            "                [--namesakes realistic|high|extreme] [--dup P] "
            "DIR\n"
            "Write K agency lists (DIR/alt1.csv ...) of N Cambodian persons\n"
            "seen at least once, with the truth in person_id.\n"
            "  --persons N   persons on at least one list (default 20000)\n"
            "  --lists K     2 to 8 lists (default 3)\n"
            "  --seed S      random seed (default 1)\n"
            "  --namesakes   realistic (every name, default), high (40\n"
            "                family x 100 given names) or extreme (25 x 34,\n"
            "                850 name pairs)\n"
            "  --dup P       share of records with a second record in the\n"
            "                same list, 0 to 0.5 (default 0.03)\n"
            "  --names-tsv   print the name pool (kind, Khmer, spellings)\n"
            "                and write no lists\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"persons", required_argument, NULL, 'n'},
        {"lists", required_argument, NULL, 'k'},
        {"seed", required_argument, NULL, 's'},
        {"namesakes", required_argument, NULL, 'm'},
        {"dup", required_argument, NULL, 'd'},
        {"names-tsv", no_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    struct gen g;
    struct list lists[MAXLISTS];
    struct person *persons;
    long npersons = 20000;
    long nlists = 3;
    long seed = 1;
    double dup = 0.03;
    int glimit = 0;
    int names_tsv_only = 0;
    long have = 0;
    long records = 0;
    int c;
    int k;
    int rc = 0;

    memset(&g, 0, sizeof g);
    g.nfamily = (int)NELEM(family_tab);
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (ctis_parse_long(optarg, 1, 10000000L, &npersons) != 0) {
                fprintf(stderr, "link_alt: --persons must be 1 to "
                                "10000000\n");
                return 2;
            }
            break;
        case 'k':
            if (ctis_parse_long(optarg, 2, MAXLISTS, &nlists) != 0) {
                fprintf(stderr, "link_alt: --lists must be 2 to %d\n",
                        MAXLISTS);
                return 2;
            }
            break;
        case 's':
            if (ctis_parse_long(optarg, 0, 2147483647L, &seed) != 0) {
                fprintf(stderr, "link_alt: --seed must be 0 to "
                                "2147483647\n");
                return 2;
            }
            break;
        case 'm':
            if (strcmp(optarg, "realistic") == 0) {
                g.nfamily = (int)NELEM(family_tab);
                glimit = 0;
            } else if (strcmp(optarg, "high") == 0) {
                g.nfamily = 40;
                glimit = 100;
            } else if (strcmp(optarg, "extreme") == 0) {
                g.nfamily = 25;
                glimit = 34;
            } else {
                fprintf(stderr, "link_alt: --namesakes must be realistic, "
                                "high or extreme\n");
                return 2;
            }
            break;
        case 'd':
            if (ctis_parse_double(optarg, &dup) != 0 || dup < 0 || dup > 0.5) {
                fprintf(stderr, "link_alt: --dup must be 0 to 0.5\n");
                return 2;
            }
            break;
        case 't':
            names_tsv_only = 1;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (names_tsv_only) {
        build_given(&g, 0);
        names_tsv(&g);
        ctis_free(g.given);
        return 0;
    }
    if (optind != argc - 1) {
        usage(stderr);
        return 2;
    }
    ctis_rng_seed(&g.r, (uint64_t)seed * 0x9E3779B97F4A7C15ULL + 0x5EED);
    build_given(&g, glimit);
    for (k = 0; k < g.nfamily; k++) {
        g.fw_total += family_tab[k].w;
    }
    persons = ctis_calloc((size_t)npersons, sizeof *persons);
    if (persons == NULL) {
        fprintf(stderr, "link_alt: out of memory\n");
        ctis_free(g.given);
        return 1;
    }
    memset(lists, 0, sizeof lists);
    for (k = 0; k < nlists; k++) {
        ctis_buf_init(&lists[k].rows);
    }
    while (have < npersons) {
        struct person *p = &persons[have];
        const struct person *sib = NULL;
        static const double vis[3] = {0.5, 1.0, 2.0};
        int on[MAXLISTS];
        int any = 0;

        if (have > 10 && chance(&g, 0.04)) {
            sib = &persons[below(&g, (int)have)];
        }
        make_person(&g, p, sib);
        for (k = 0; k < nlists; k++) {
            double pk = 0.36;
            int j;

            for (j = 0; j < k; j++) {
                pk *= 0.85;
            }
            on[k] = chance(&g, pk * vis[p->vis]);
            any |= on[k];
        }
        if (!any) {
            continue;
        }
        for (k = 0; k < nlists; k++) {
            if (!on[k]) {
                continue;
            }
            write_record(&g, p, have + 1, k, 0, &lists[k]);
            records++;
            if (chance(&g, dup)) {
                write_record(&g, p, have + 1, k, 1, &lists[k]);
                records++;
            }
        }
        have++;
    }
    for (k = 0; k < nlists && rc == 0; k++) {
        rc = write_list(&g, argv[optind], k, &lists[k]);
    }
    if (rc == 0) {
        fprintf(stderr, "link_alt: %ld persons, %ld records in %ld lists\n",
                have, records, nlists);
    }
    for (k = 0; k < nlists; k++) {
        ctis_buf_release(&lists[k].rows);
        ctis_free(lists[k].off);
    }
    ctis_free(persons);
    ctis_free(g.given);
    return rc == 0 ? 0 : 1;
}
