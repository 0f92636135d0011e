/*
 * link_names.h - the name pool of bench/link_cam: Cambodian family names,
 * given names (one word) and compound given names (two syllables written
 * as one word in Khmer script, as one or two words in Latin script: Srey
 * Mom / Sreymom, Sok Kheang, Chan Dara), each in Khmer script with its
 * common romanisations (the most common first, '/' between them) as they
 * are written in agency lists and on documents: UNGEGN- and ALA-LC-like
 * readings next to the popular spellings (Sokha / Sokhar / Sok Kha, Vichet
 * / Vichit, Meas / Meah, Chan / Chann, Srey / Srei), Sanskrit and Pali
 * spellings (Sambath / Sambat, Piseth / Piset), the inherent vowel written
 * a or o (Samnang / Somnang, Ratha / Rotha) and final letters doubled or
 * dropped (Sovann / Sovan, Vann / Van).
 *
 * Weights are relative frequencies. No census of Cambodian names is
 * published; the weights are our estimate by rank, shaped as name
 * frequencies are (a few very common family names: the first ten about a
 * third of all persons; a long tail). Family names are patronymic in
 * origin, so many are also given names (Sok, Chan, Heng, Bun).
 *
 * A Khmer spelling may have alternatives after '/', the usual first:
 * the spelling of names is not fixed (ចាន់ / ចន្ទ Chan, គីម / គឹម Kim,
 * រិទ្ធី / ឫទ្ធី Rithy, សុភា / សោភា Sophea).
 *
 * Included by bench/link_cam.c only. tests/link/data/khmer_names.tsv is
 * written from these tables (link_cam --names-tsv, docs/linkage.md).
 */
#ifndef CTIS_BENCH_LINK_NAMES_H
#define CTIS_BENCH_LINK_NAMES_H

struct cam_name {
    const char *km; /* Khmer, the usual spelling first, '/' */
    int weight;
    const char *latin; /* romanisations, the most common first, '/' */
    int sex;           /* given names: 1 female, 2 male, 3 either */
};

/* A syllable of a compound given name (first or second part). */
struct cam_part {
    const char *km; /* as cam_name's */
    const char *latin;
};

struct cam_compound {
    int prefix; /* index into cam_prefixes */
    int base;   /* index into cam_bases */
    int weight;
    int sex;
};

static const struct cam_name cam_families[] = {
    {"សុខ", 90, "Sok/Sokh/Sock", 0},
    {"ចាន់/ចន្ទ", 85, "Chan/Chann/Chand", 0},
    {"គីម/គឹម", 60, "Kim/Kimm/Khim", 0},
    {"ហេង", 55, "Heng/Hieng/Heang", 0},
    {"លី", 55, "Ly/Lee/Li", 0},
    {"ជា", 45, "Chea/Chear/Chia", 0},
    {"សេង", 45, "Seng/Sieng/Saeng", 0},
    {"មាស", 40, "Meas/Meah/Mas/Meass", 0},
    {"កែវ", 40, "Keo/Kev/Kaev/Keov", 0},
    {"សំ", 30, "Som/Sam/Sum", 0},
    {"អ៊ុក", 28, "Ouk/Uk/Ok", 0},
    {"ប្រាក់", 26, "Prak/Brak/Prac", 0},
    {"ហ៊ុន", 22, "Hun/Houn/Hunn", 0},
    {"ទេព", 20, "Tep/Tepp/Teb", 0},
    {"យឹម", 20, "Yim/Yem/Yoem", 0},
    {"ម៉ៅ", 18, "Mao/Mau/Mav", 0},
    {"ម៉ែន", 18, "Men/Maen/Menn", 0},
    {"ឡុង", 16, "Long/Lung/Loung", 0},
    {"ផាន", 16, "Phan/Phann/Pan", 0},
    {"គង់", 16, "Kong/Kung/Korng", 0},
    {"នួន", 14, "Nuon/Noun/Nuen", 0},
    {"ទូច", 14, "Touch/Toch/Tuch", 0},
    {"វ៉ាន់", 14, "Vann/Van/Vanh", 0},
    {"ស៊ុន", 14, "Sun/Soun/Sunn", 0},
    {"ស៊ិន", 12, "Sin/Sinn/Syn", 0},
    {"ង៉ែត", 10, "Nget/Ngaet/Ngeth", 0},
    {"ប៉ែន", 10, "Pen/Paen/Penn", 0},
    {"រស់", 10, "Ros/Ruos/Rous", 0},
    {"សាន", 10, "San/Sann/Saan", 0},
    {"សួន", 9, "Suon/Suorn/Soun", 0},
    {"អ៊ុយ", 8, "Uy/Ouy/Uoy", 0},
    {"តាន់", 8, "Tan/Tann/Taan", 0},
    {"ខៀវ", 8, "Khiev/Khieu/Kheav", 0},
    {"សន", 8, "Sorn/Son/Sor", 0},
    {"សាយ", 8, "Say/Sai/Sayy", 0},
    {"ស៊ីម", 8, "Sim/Seam/Sym", 0},
    {"ប៊ុន", 8, "Bun/Boun/Bunn", 0},
    {"ញឹម", 7, "Nhim/Nhem/Nhoem", 0},
    {"ឈឹម", 7, "Chhim/Chim/Chhoem", 0},
    {"ពេជ្រ", 7, "Pich/Pech/Petch", 0},
    {"អ៊ុង", 7, "Ung/Oung/Ong", 0},
    {"ឌី", 6, "Dy/Di/Dee", 0},
    {"អ៊ឹម", 6, "Im/Oem/Em", 0},
    {"ម៉ម", 6, "Mom/Morm/Mum", 0},
    {"វង្ស/វង់", 6, "Vong/Vorng/Vung", 0},
    {"ព្រំ", 6, "Prum/Prom/Proum", 0},
    {"ឆាយ", 6, "Chhay/Chay/Chhai", 0},
    {"ស្វាយ", 6, "Svay/Svai/Sway", 0},
    {"ជុំ", 6, "Chum/Choum/Chom", 0},
    {"អេង", 6, "Eng/Aeng/Ing", 0},
    {"តាំង", 6, "Taing/Tang/Taeng", 0},
    {"ថន", 5, "Thon/Thorn/Ton", 0},
    {"ឈួន", 5, "Chhuon/Chhoun/Chuon", 0},
    {"ទិត្យ", 5, "Tith/Tit/Tet", 0},
    {"ហួរ", 5, "Hour/Huor/Hor", 0},
    {"លឹម", 5, "Lim/Lem/Loem", 0},
    {"ពៅ", 5, "Pov/Pao/Pau", 0},
    {"ស្រ៊ុន", 5, "Srun/Sroun/Sron", 0},
    {"យិន", 5, "Yin/Yen/Yinn", 0},
    {"យូ", 5, "You/Yu/Yoo", 0},
    {"ឈុន", 5, "Chhun/Chun/Chhon", 0},
    {"ឆន", 5, "Chhorn/Chhon/Chorn", 0},
    {"ជួន", 5, "Chuon/Choun/Chuen", 0},
    {"ដួង", 5, "Doung/Duong/Dong", 0},
    {"ឡេង", 5, "Leng/Lieng/Leang", 0},
    {"សៅ", 5, "Sao/Sau/Sav", 0},
    {"ថាច់", 4, "Thach/Thac/Tach", 0},
    {"ឃុន", 4, "Khun/Khon/Kun", 0},
    {"ថៃ", 4, "Thai/Thay/Thei", 0},
    {"ទ្រី", 4, "Try/Trei/Tri", 0},
    {"យស", 4, "Yos/Yous/Yus", 0},
    {"ហាក់", 4, "Hak/Hac/Hack", 0},
    {"ហែម", 4, "Hem/Haem/Hemm", 0},
    {"ហុក", 4, "Hok/Hoc/Hock", 0},
    {"កឹម", 4, "Kem/Koem/Kum", 0},
    {"ខេម", 4, "Khem/Kem/Khim", 0},
    {"ឃេង", 4, "Kheng/Keng/Khieng", 0},
    {"ឡាយ", 4, "Lay/Lai/Laay", 0},
    {"ម៉ាក់", 4, "Mak/Mac/Mack", 0},
    {"នាង", 4, "Neang/Nieng/Neng", 0},
    {"នូ", 4, "Nou/Nu/Noo", 0},
    {"នី", 4, "Ny/Ni/Nee", 0},
    {"អ៊ុំ", 4, "Oum/Um/Om", 0},
    {"ផុន", 4, "Phon/Phun/Phoun", 0},
    {"ពិន", 4, "Pin/Pinn/Pen", 0},
    {"រាជ", 4, "Reach/Riech/Reachh", 0},
    {"រិន", 4, "Rin/Ren/Rinn", 0},
    {"សែម", 4, "Sem/Saem/Semm", 0},
    {"សេក", 4, "Sek/Sekh/Sec", 0},
    {"ទា", 4, "Tea/Tia/Tear", 0},
    {"ធី", 4, "Thy/Thi/Ty", 0},
    {"មាន", 4, "Mean/Mien/Mian", 0},
    {"ម៉េង", 4, "Meng/Mieng/Meang", 0},
    {"សុទ្ធ", 4, "Soth/Sot/Sott", 0},
    {"ជ័យ", 4, "Chey/Chei/Cheay", 0},
    {"នាម", 3, "Neam/Nam/Niem", 0},
    {"កៀត", 3, "Keat/Kiet/Kiat", 0},
    {"ខន", 3, "Khorn/Khon/Korn", 0},
    {"កុល", 3, "Kol/Kul/Koul", 0},
    {"គុយ", 3, "Kuy/Kouy/Kui", 0},
    {"លឿង", 3, "Loeung/Leung/Lueng", 0},
    {"មឿង", 3, "Moeung/Meung/Muong", 0},
    {"ញ៉ែម", 3, "Nhem/Nhaem/Nem", 0},
    {"ណន", 3, "Norn/Non/Nor", 0},
    {"អឿន", 3, "Oeun/Eun/Oeurn", 0},
    {"អ៊ន", 3, "Orn/On/Or", 0},
    {"ប៉ាង", 3, "Pang/Bang/Paing", 0},
    {"ផាត់", 3, "Phat/Phath/Pat", 0},
    {"ប៉ុក", 3, "Pok/Pock/Pouk", 0},
    {"ព្រាប", 3, "Preap/Priep/Preab", 0},
    {"សាត", 3, "Sath/Sat/Saat", 0},
    {"សៀង", 3, "Seang/Sieng/Siang", 0},
    {"សូស", 3, "Sous/Sus/Souss", 0},
    {"តាត", 3, "Tat/Tath/Tatt", 0},
    {"ទីម", 3, "Tim/Team/Tym", 0},
    {"តុង", 3, "Tong/Torng/Toung", 0},
    {"ទុយ", 3, "Tuy/Touy/Tui", 0},
    {"យ៉ង", 3, "Yang/Yorng/Yong", 0},
    {"យី", 3, "Yi/Yee/Yy", 0},
    {"ជឿន", 3, "Choeun/Cheun/Choeurn", 0},
    {"ឈឿន", 3, "Chhoeun/Chheun/Chhoeurn", 0},
    {"ងិន", 3, "Ngin/Ngen/Nging", 0},
    {"នៅ", 3, "Nov/Nau/Nao", 0},
    {"រឿន", 3, "Roeun/Reun/Roeurn", 0},
    {"អ៊ុច", 3, "Uch/Ouch/Och", 0},
    {"ប៊ូ", 3, "Bou/Bu/Bo", 0},
    {"ជន", 3, "Chorn/Chon/Chor", 0},
    {"ហៀង", 3, "Heang/Hieng/Hiang", 0},
    {"សារ", 3, "Sar/Sa/Sarr", 0},
    {"ទុំ", 3, "Tum/Toum/Tom", 0},
    {"ព្រឿង", 2, "Proeung/Preung/Pruong", 0},
    {"យឿន", 2, "Yoeun/Yeun/Yoeurn", 0},
    {"ខាត់", 2, "Khat/Kat/Khath", 0},
    {"គួច", 2, "Kouch/Kuoch/Kuch", 0},
    {"ផេង", 2, "Pheng/Peng/Phieng", 0},
    {"រាម", 2, "Ream/Riem/Ram", 0},
    {"ស៊ុត", 2, "Sut/Sot/Sout", 0},
    {"វី", 2, "Vy/Vi/Vee", 0},
    {"អ៊ិត", 2, "Ith/It/Eth", 0},
    {"នឹម", 2, "Nim/Noem/Nem", 0},
};

/* Given names written as one word in both scripts. */
static const struct cam_name cam_givens[] = {
    /* either sex */
    {"សុខា", 40, "Sokha/Sokhar/Sok Kha/Sokkha", 3},
    {"សុធី", 8, "Sothy/Sothi/Soty", 3},
    {"រតនា/រ័តនា", 10, "Ratana/Rathana/Rattana/Rotana", 3},
    {"មករា", 8, "Makara/Makkara/Makra", 3},
    {"ចាន់ណា", 8, "Channa/Chan Na/Chana", 3},
    {"វណ្ណា/វ៉ាន់ណា", 14, "Vanna/Vana/Vonna", 3},
    {"សុភ័ក្ត្រ", 10, "Sopheak/Sophak/Sopheaktra", 3},
    {"សុរិយា", 5, "Soriya/Sorya/Sooriya", 3},
    {"ពុទ្ធី", 5, "Puthy/Putthy/Puthi", 3},
    {"សុជា", 4, "Sochea/Sochia/Sochear", 3},
    {"សុផន", 5, "Sophorn/Sophon/Sophoan", 3},
    /* women */
    {"បុប្ផា/បុផ្ផា", 25, "Bopha/Boppha/Bupha/Bophar", 1},
    {"សុភា/សោភា", 22, "Sophea/Sopha/Sophia", 1},
    {"ធីតា", 18, "Thida/Tida/Theda/Thidar", 1},
    {"សុភាព", 14, "Sopheap/Sophep/Sopheab/Sophiep", 1},
    {"ដាវី", 14, "Davy/Davi/Davey", 1},
    {"នារី", 14, "Neary/Nary/Neari", 1},
    {"ពិសី", 14, "Pisey/Pisei/Pissey/Pisy", 1},
    {"ម៉ាលី", 14, "Maly/Mali/Malei", 1},
    {"រស្មី", 14, "Reaksmey/Raksmey/Reaksmei/Rasmey", 1},
    {"ចាន់ថា/ចន្ទថា", 12, "Chantha/Chanta/Chan Tha", 1},
    {"គន្ធា", 12, "Kunthea/Kanthea/Kunthia/Konthea", 1},
    {"ចាន់ធី/ចន្ទធី", 12, "Chanthy/Chanty/Chan Thy", 1},
    {"ធារី", 12, "Theary/Teary/Thiary", 1},
    {"ដានី", 12, "Dany/Dani/Danny", 1},
    {"ចិន្តា", 12, "Chenda/Chinda/Chendar", 1},
    {"ផល្លា", 12, "Phalla/Phala/Phalar", 1},
    {"ចាន់ធូ", 10, "Chanthou/Chantou/Chanthu", 1},
    {"សុជាតា", 10, "Socheata/Sochata/Socheatha", 1},
    {"វណ្ណី", 10, "Vanny/Vanni/Vany/Vonny", 1},
    {"លីណា/លីនា", 8, "Lina/Leena/Linna", 1},
    {"ស៊ីណា/ស៊ីនា", 8, "Sina/Seena/Sinna", 1},
    {"កញ្ញា/កាញ្ញា", 8, "Kanha/Kagna/Kannha/Kanhnha", 1},
    {"សុធារី", 8, "Sotheary/Sotheari/Sothiary", 1},
    {"លក្ខិណា", 8, "Leakhena/Leakena/Lakhena", 1},
    {"មាលា", 6, "Mealea/Meala/Malea", 1},
    {"ណាវី", 6, "Navy/Navi/Navey", 1},
    {"សុវណ្ណារី", 6, "Sovannary/Sovanary/Sovannarey", 1},
    {"ចន្ទ្រា", 6, "Chantrea/Chanthrea/Chantria", 1},
    {"ចរិយា", 6, "Chariya/Chareya/Chhariya", 1},
    {"សុគន្ធា", 6, "Sokunthea/Sokuntha/Sokonthea", 1},
    {"សុភី", 6, "Sophy/Sophi/Sophie", 1},
    {"ដាលីន", 5, "Dalin/Daline/Dalinn", 1},
    {"រចនា", 5, "Rachana/Rachna/Reachana", 1},
    {"សុផានី", 5, "Sophany/Sophani/Sopheany", 1},
    {"រ៉ានី", 5, "Rany/Rani/Ranny", 1},
    {"ទេវី", 5, "Tevy/Tevi/Tevey", 1},
    {"សុមាលី", 5, "Somaly/Somali/Sommaly", 1},
    {"លីដា", 4, "Lida/Lyda/Leeda", 1},
    {"ឆវី", 4, "Chhavy/Chavy/Chhavi", 1},
    {"ធាវី", 4, "Theavy/Thavy/Theavi", 1},
    {"រ៉ាវី", 4, "Ravy/Ravi/Ravey", 1},
    {"រីណា", 4, "Rina/Reena/Rinna", 1},
    {"តារា", 4, "Tara/Teara/Tarra", 1},
    {"លក្ខណា", 4, "Leakhana/Leakkhana/Lakhana", 1},
    {"សម្ផស្ស", 4, "Samphors/Somphors/Samphos", 1},
    {"សុធាវី", 3, "Sotheavy/Sothavy/Sotheavey", 1},
    {"ណាលីន", 3, "Nalin/Naline/Nalinn", 1},
    {"វិច្ឆិកា", 3, "Vichhika/Vichika/Vichheka", 1},
    {"បូរ៉ាមី", 3, "Boramey/Borami/Bormey", 1},
    {"នីតា", 3, "Nita/Nitta/Neeta", 1},
    {"កុលាប", 4, "Kolab/Kulab/Kolap", 1},
    {"ចំប៉ា", 3, "Champa/Chompa/Champar", 1},
    {"រំដួល", 3, "Romduol/Rumduol/Romdoul", 1},
    {"កេសរ", 3, "Kesor/Kesar/Kesorn", 1},
    {"ម្លិះ", 3, "Malis/Mlis/Maliss", 1},
    {"មុនីកា", 3, "Monika/Monica/Monyka", 1},
    {"សុភារី", 4, "Sopheary/Sophary/Sophiary", 1},
    {"ម៉ានី", 3, "Many/Mani/Manny", 1},
    /* men */
    {"ដារ៉ា", 30, "Dara/Darah/Darra", 2},
    {"វិចិត្រ", 18, "Vichet/Vichit/Vicheth/Vichhet", 2},
    {"វុទ្ធី", 18, "Vuthy/Vuthi/Vutthy", 2},
    {"សំណាង", 18, "Samnang/Somnang/Sam Nang", 2},
    {"វិសាល", 14, "Visal/Visall/Vesal", 2},
    {"សុផល", 14, "Sophal/Sophall/Sopal", 2},
    {"រិទ្ធី/ឫទ្ធី", 14, "Rithy/Rithi/Rity", 2},
    {"ពិសិដ្ឋ/ពិសិទ្ធ", 14, "Piseth/Piset/Pisith", 2},
    {"កុសល", 12, "Kosal/Kusal/Kosol", 2},
    {"សុធា", 12, "Sothea/Sotha/Sothia", 2},
    {"មុនី", 12, "Mony/Moni/Monny", 2},
    {"បូរ៉ា", 12, "Bora/Borra/Borah", 2},
    {"សីហា", 12, "Seyha/Sayha/Seiha", 2},
    {"សម្បត្តិ", 12, "Sambath/Sambat/Sampath/Sambatt", 2},
    {"វាសនា", 12, "Veasna/Vesna/Veassna/Veasana", 2},
    {"ចំរើន", 10, "Chamroeun/Chamreun/Chamroen", 2},
    {"បូរី", 10, "Borey/Bory/Borei", 2},
    {"សុវណ្ណ", 10, "Sovann/Sovan/Sovonn", 2},
    {"សុគុន", 8, "Sokun/Sokhun/Sokunn", 2},
    {"វិបុល", 8, "Vibol/Vibal/Vipol", 2},
    {"ភិរុណ", 8, "Phirun/Pirun/Phiroun", 2},
    {"ភក្តី", 8, "Pheakdey/Pheakdei/Peakdey/Pheaktey", 2},
    {"ឧត្តម", 8, "Oudom/Udom/Oudam", 2},
    {"បញ្ញា", 8, "Panha/Pagna/Panhar/Panhnha", 2},
    {"រដ្ឋា", 8, "Ratha/Rattha/Rotha", 2},
    {"វណ្ណៈ", 8, "Vannak/Vanak/Vonnak", 2},
    {"និមល", 6, "Nimol/Nimul/Nimoul", 2},
    {"ពន្លឺ", 6, "Ponleu/Ponlue/Ponlu", 2},
    {"សុខុម", 6, "Sokhom/Sokhum/Sokom", 2},
    {"សារ៉ុន", 6, "Saron/Sarun/Saroun", 2},
    {"ធឿន", 6, "Thoeun/Thoeurn/Theun", 2},
    {"ពិសាល", 6, "Pisal/Pisall/Pesal", 2},
    {"ណារ៉ុង", 6, "Narong/Naroung/Narang", 2},
    {"ណារិទ្ធ", 6, "Narith/Nareth/Narit", 2},
    {"វីរៈ", 6, "Vireak/Virak/Vyreak", 2},
    {"ភារម្យ", 5, "Phearum/Pheareum/Phearom", 2},
    {"កល្យាណ", 5, "Kalyan/Kolyan/Kalyann", 2},
    {"ធារ៉ា", 5, "Theara/Thara/Thearah", 2},
    {"វណ្ណារិទ្ធ", 5, "Vannarith/Vanarith/Vannareth", 2},
    {"សុជាតិ", 5, "Socheat/Sochet/Socheath", 2},
    {"ស៊ីថា", 5, "Sitha/Setha/Sytha", 2},
    {"អរុណ", 4, "Arun/Aroun/Arunn", 2},
    {"សំអាត", 4, "Samath/Sam Ath/Sam At", 2},
    {"សារិន", 4, "Sarin/Sarinn/Sareen", 2},
    {"និមិត្ត", 4, "Nimith/Nimit/Nimeth", 2},
    {"ផានិត", 4, "Phanith/Phaneth/Panith", 2},
    {"វិសុទ្ធ", 4, "Visoth/Visot/Vesoth", 2},
    {"វណ្ណឌី", 4, "Vandy/Vandi/Vanndy", 2},
    {"សាវឿន", 4, "Savoeun/Saveun/Savoeurn", 2},
    {"តុលា", 4, "Tola/Toula/Tolla", 2},
    {"វិជ្ជា", 4, "Vichea/Vichhea/Vichia", 2},
    {"ម៉ានិត", 4, "Manith/Maneth/Manit", 2},
    {"ផល្គុន", 4, "Phalkun/Phalkunn/Palkun", 2},
    {"សារិទ្ធ", 4, "Sarith/Sareth/Sarit", 2},
    {"រតនៈ", 4, "Rottanak/Ratanak/Rattanak", 2},
    {"ធារិទ្ធ", 4, "Thearith/Tharith/Thearit", 2},
    {"ភារ៉ា", 4, "Pheara/Phara/Phearah", 2},
    {"វុទ្ធា", 4, "Vuthea/Vutha/Vutthea", 2},
    {"សុធារិទ្ធ", 3, "Sothearith/Sotharith/Sothearit", 2},
    {"សម្បូរ", 3, "Sambo/Sambour/Sombo", 2},
    {"សារឿន", 3, "Saroeun/Sareun/Saroeurn", 2},
    {"វណ្ណដា", 3, "Vannda/Vanda/Vonnda", 2},
    {"ណារិន", 3, "Narin/Nareen/Narinn", 2},
    {"សុផាត", 3, "Sophat/Sophath/Sopheat", 2},
    {"និស្ស័យ", 3, "Nisay/Nissay/Nisai", 3},
    {"ដាវីន", 3, "Davin/Davinn/Daveen", 3},
};

/* First syllables of compound given names. */
static const struct cam_part cam_prefixes[] = {
    {"ស្រី", "Srey/Srei/Sray"},  /* 0: women only */
    {"សុខ", "Sok/Sokh"},        /* 1 */
    {"ចាន់/ចន្ទ", "Chan/Chann"}, /* 2 */
    {"គីម/គឹម", "Kim/Khim"},     /* 3 */
    {"ប៊ុន", "Bun/Boun"},        /* 4 */
    {"សំ", "Sam/Som"},          /* 5 */
    {"មុន្នី", "Mony/Moni"},      /* 6 */
    {"លី", "Ly/Li"},            /* 7 */
};

/* Second syllables. */
static const struct cam_part cam_bases[] = {
    {"មុំ", "Mom/Mum"},                /* 0 */
    {"នាង", "Neang/Nieng"},          /* 1 */
    {"ពៅ", "Pov/Pao/Pau"},           /* 2 */
    {"និច", "Nich/Nith"},             /* 3 */
    {"ល័ក្ខ", "Leak/Leakh/Lak"},       /* 4 */
    {"អូន", "Oun/Un/Own"},            /* 5 */
    {"នី", "Ny/Ni/Nee"},              /* 6 */
    {"ពេជ្រ", "Pich/Pech"},           /* 7 */
    {"តូច", "Touch/Toch"},            /* 8 */
    {"លីន", "Lin/Leen/Linn"},         /* 9 */
    {"ណា", "Na/Nha"},                /* 10 */
    {"ម៉ៅ", "Mao/Mau"},               /* 11 */
    {"រ័ត្ន", "Roth/Rath/Rat"},        /* 12 */
    {"ឃាង", "Kheang/Khieng/Keang"},  /* 13 */
    {"ហេង", "Heng/Hieng"},           /* 14 */
    {"លី", "Ly/Li"},                  /* 15 */
    {"ជា", "Chea/Chia"},             /* 16 */
    {"លីម", "Lim/Leam"},              /* 17 */
    {"ហួរ", "Hour/Huor"},             /* 18 */
    {"ភាព", "Pheap/Phiep/Pheab"},    /* 19 */
    {"លាភ", "Leap/Liep"},            /* 20 */
    {"ដារ៉ា", "Dara/Darah"},          /* 21 */
    {"ធី", "Thy/Thi"},                /* 22 */
    {"រិទ្ធ", "Rith/Rit/Reth"},        /* 23 */
    {"ស្រេង", "Sreng/Srieng"},        /* 24 */
    {"ឡេង", "Leng/Lieng"},           /* 25 */
    {"អៀង", "Eang/Ieng/Ieang"},      /* 26 */
    {"សេង", "Seng/Sieng"},           /* 27 */
    {"ធឿន", "Thoeun/Theun/Thoeurn"}, /* 28 */
    {"ឆាយ", "Chhay/Chay"},           /* 29 */
    {"សុង", "Song/Soung"},            /* 30 */
    {"អឿន", "Oeun/Eun"},             /* 31 */
    {"វណ្ណា", "Vanna/Vana"},          /* 32 */
    {"នុច", "Nuch/Nuoch"},            /* 33 */
    {"ដា", "Da/Dar"},                /* 34 */
    {"សាន", "San/Sann"},             /* 35 */
    {"គា", "Kea/Kia"},               /* 36 */
    {"ឃីម", "Khim/Kim"},              /* 37 */
    {"ឡាយ", "Lay/Lai"},              /* 38 */
    {"វី", "Vy/Vi"},                  /* 39 */
    {"រ៉ា", "Ra/Rah"},                /* 40 */
    {"និត", "Nith/Nit/Neth"},         /* 41 */
    {"ភី", "Phy/Phi"},                /* 42 */
    {"វុធ", "Vuth/Vut"},              /* 43 */
    {"រិន", "Rin/Ren"},               /* 44 */
    {"ថន", "Thon/Thorn"},            /* 45 */
    {"ម៉េង", "Meng/Mieng"},           /* 46 */
    {"រ៉ុង", "Rong/Roung"},            /* 47 */
    {"មាន", "Mean/Mien"},            /* 48 */
    {"ហ៊ុយ", "Huy/Houy"},              /* 49 */
    {"ឆន", "Chhorn/Chhon"},          /* 50 */
    {"ខួច", "Khouch/Khuoch"},         /* 51 */
    {"ម៉ាច", "Mach/Mac"},             /* 52 */
    {"វិន", "Vin/Ven"},               /* 53 */
    {"ចាន់", "Chan/Chann"},           /* 54 */
    {"មុន្នី", "Mony/Moni"},            /* 55 */
    {"នាថ", "Neath/Neat"},           /* 56 */
    {"ស្រស់", "Sros/Sroh"},            /* 57 */
    {"កែវ", "Keo/Kev"},              /* 58 */
    {"កា", "Ka/Kar"},                /* 59 */
    {"សុខ", "Sok/Sokh"},              /* 60 */
    {"ធា", "Thea/Tha"},              /* 61 */
    {"លាង", "Leang/Lieng"},          /* 62 */
};

static const struct cam_compound cam_compounds[] = {
    /* Srey (women) */
    {0, 0, 20, 1},
    {0, 1, 10, 1},
    {0, 2, 10, 1},
    {0, 3, 8, 1},
    {0, 4, 8, 1},
    {0, 5, 6, 1},
    {0, 6, 6, 1},
    {0, 7, 6, 1},
    {0, 8, 6, 1},
    {0, 9, 5, 1},
    {0, 10, 5, 1},
    {0, 11, 4, 1},
    {0, 12, 4, 1},
    {0, 20, 4, 1},
    {0, 34, 3, 1},
    {0, 33, 3, 1},
    {0, 39, 3, 1},
    {0, 40, 3, 1},
    {0, 36, 3, 1},
    {0, 38, 3, 1},
    {0, 48, 3, 1},
    {0, 15, 3, 1},
    {0, 41, 3, 1},
    {0, 14, 2, 1},
    {0, 22, 2, 1},
    {0, 42, 2, 1},
    {0, 46, 2, 1},
    {0, 44, 2, 1},
    {0, 51, 2, 1},
    {0, 52, 2, 1},
    {0, 53, 2, 1},
    /* Sok */
    {1, 13, 6, 2},
    {1, 14, 6, 3},
    {1, 15, 8, 3},
    {1, 16, 5, 2},
    {1, 17, 4, 3},
    {1, 10, 5, 3},
    {1, 18, 4, 3},
    {1, 19, 4, 3},
    {1, 20, 4, 3},
    {1, 35, 4, 2},
    {1, 37, 3, 3},
    {1, 25, 3, 2},
    {1, 26, 3, 3},
    {1, 32, 3, 2},
    {1, 22, 3, 3},
    {1, 23, 3, 2},
    {1, 21, 3, 2},
    {1, 46, 3, 2},
    {1, 6, 3, 1},
    {1, 48, 3, 2},
    {1, 49, 2, 2},
    {1, 39, 2, 1},
    {1, 41, 2, 3},
    {1, 44, 2, 3},
    {1, 27, 2, 2},
    {1, 24, 2, 2},
    {1, 54, 3, 3},
    {1, 36, 2, 1},
    /* Chan */
    {2, 21, 6, 2},
    {2, 23, 4, 2},
    {2, 15, 4, 3},
    {2, 45, 3, 2},
    {2, 24, 2, 2},
    {2, 43, 3, 2},
    {2, 12, 4, 3},
    {2, 20, 3, 3},
    {2, 41, 3, 3},
    {2, 42, 2, 3},
    {2, 40, 3, 3},
    {2, 27, 2, 2},
    {2, 36, 2, 1},
    {2, 32, 3, 3},
    {2, 55, 3, 3},
    {2, 47, 2, 2},
    /* Kim */
    {3, 14, 6, 2},
    {3, 25, 4, 3},
    {3, 18, 5, 3},
    {3, 15, 4, 3},
    {3, 24, 3, 2},
    {3, 35, 3, 3},
    {3, 50, 2, 2},
    {3, 26, 3, 3},
    {3, 27, 3, 2},
    {3, 48, 2, 3},
    {3, 49, 2, 2},
    {3, 38, 2, 3},
    {3, 45, 2, 2},
    {3, 29, 2, 2},
    /* Bun */
    {4, 28, 6, 2},
    {4, 23, 5, 2},
    {4, 22, 3, 2},
    {4, 14, 4, 2},
    {4, 10, 3, 2},
    {4, 15, 4, 3},
    {4, 29, 3, 2},
    {4, 24, 2, 2},
    {4, 25, 3, 2},
    {4, 30, 3, 2},
    {4, 45, 3, 2},
    {4, 47, 2, 2},
    {4, 49, 2, 2},
    {4, 27, 3, 2},
    {4, 31, 2, 2},
    {4, 48, 3, 2},
    /* Sam, Mony, Ly */
    {5, 31, 3, 2},
    {5, 23, 3, 2},
    {5, 30, 2, 2},
    {5, 43, 2, 2},
    {6, 12, 4, 2},
    {6, 23, 2, 2},
    {6, 47, 2, 2},
    {7, 18, 5, 3},
    {7, 14, 3, 2},
    {7, 10, 3, 3},
    {7, 34, 2, 1},
    {7, 13, 2, 2},
    /* more */
    {0, 56, 4, 1},
    {0, 57, 3, 1},
    {0, 58, 3, 1},
    {0, 59, 3, 1},
    {0, 60, 3, 1},
    {2, 61, 3, 3},
    {1, 61, 2, 3},
    {3, 62, 4, 3},
    {4, 12, 3, 2},
    {6, 56, 2, 2},
};

#define CAM_N_FAM (sizeof cam_families / sizeof cam_families[0])
#define CAM_N_WORD (sizeof cam_givens / sizeof cam_givens[0])
#define CAM_N_COMP (sizeof cam_compounds / sizeof cam_compounds[0])
#define CAM_N_GIV (CAM_N_WORD + CAM_N_COMP)

#endif
