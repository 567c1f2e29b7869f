/* gen_util.c - PRNG, ID numbers, names and the fast CSV writer of the generator. */
#include "../core/dd.h"
#include "gen_int.h"
#include "../core/id.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

uint64_t dd_gen_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

void dd_gen_rng_seed(dd_gen_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++) {
		seed += 0x9e3779b97f4a7c15ULL;
		r->s[i] = dd_gen_mix(seed);
	}
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t dd_gen_rng_next(dd_gen_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Lemire's multiply-shift: the bias is below 2^-32 for our n, fine for test data. */
uint64_t dd_gen_rng_below(dd_gen_rng *r, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)dd_gen_rng_next(r) * n) >> 64);
}

unsigned gen_pick(dd_gen_rng *r, const unsigned *w, unsigned n)
{
	unsigned total = 0;
	for (unsigned i = 0; i < n; i++)
		total += w[i];
	unsigned x = (unsigned)dd_gen_rng_below(r, total);
	for (unsigned i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

void *gen_vec_push(void *vec, size_t elem)
{
	GEN_VEC(char) *v = vec;
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		char *p = realloc(v->v, cap * elem);
		if (!p)
			return NULL;
		v->v = p;
		v->cap = cap;
	}
	char *e = v->v + v->n * elem;
	memset(e, 0, elem);
	v->n++;
	return e;
}

/* ---- ID numbers ---- */

void dd_gen_id_format(const char *county, dd_date birth, unsigned seq, char sex, char out[19])
{
	int y, m, d;
	dd_date_to_ymd(birth, &y, &m, &d);
	memcpy(out, county, 6);
	unsigned ymd = (unsigned)(y * 10000 + m * 100 + d);
	for (int i = 13; i >= 6; i--, ymd /= 10)
		out[i] = (char)('0' + ymd % 10);
	/* A bijection of 0..499 (263 is prime to 500) shifted per day, so order codes look random. */
	unsigned shift = (unsigned)(dd_gen_mix((uint64_t)(int64_t)birth) % 500);
	unsigned order = ((seq % 500) * 263 + shift) % 500 * 2 + (sex == 'M' ? 1 : 0);
	out[14] = (char)('0' + order / 100);
	out[15] = (char)('0' + order / 10 % 10);
	out[16] = (char)('0' + order % 10);
	out[17] = dd_id_check_digit(out);
	out[18] = '\0';
}

void gen_key_text(uint64_t key, char out[19])
{
	unsigned c = (unsigned)(key % 11);
	uint64_t q = key / 11;
	for (int i = 16; i >= 0; i--, q /= 10)
		out[i] = (char)('0' + q % 10);
	out[17] = c == 10 ? 'X' : (char)('0' + c);
	out[18] = '\0';
}

dd_date gen_key_birth(uint64_t key)
{
	unsigned ymd = (unsigned)(key / 11 / 1000 % 100000000);
	return dd_date_from_ymd((int)(ymd / 10000), (int)(ymd / 100 % 100), (int)(ymd % 100));
}

char gen_key_sex(uint64_t key)
{
	return (key / 11) % 2 ? 'M' : 'F';
}

uint64_t gen_alloc_id(gen *g, dd_date birth, char sex)
{
	size_t day = (size_t)(birth - g->seq_base);
	for (;;) {
		uint16_t *c = &g->seq[day * 2 + (sex == 'M')];
		if (*c < 500) {
			char id[19];
			dd_date b = g->seq_base + (dd_date)day;
			dd_gen_id_format(g->o.county, b, *c, sex, id);
			(*c)++;
			return dd_id_key(id);
		}
		day = (day + 1) % g->seq_days;
	}
}

int gen_age(const gen *g, dd_date birth)
{
	return dd_date_age(birth, g->ref);
}

dd_date gen_birth_for_age(gen *g, dd_gen_rng *r, int age)
{
	int y, m, d;
	dd_date_to_ymd(g->ref, &y, &m, &d);
	/* Born in (ref - age - 1 years, ref - age years]. */
	dd_date hi = dd_date_from_ymd(y - age, m, d);
	dd_date lo = dd_date_from_ymd(y - age - 1, m, d) + 1;
	return lo + (dd_date)dd_gen_rng_below(r, (uint64_t)(hi - lo + 1));
}

void gen_phone(dd_gen_rng *r, char out[12])
{
	static const char second[] = "3456789";
	uint64_t x = dd_gen_rng_next(r);
	out[0] = '1';
	out[1] = second[x % 7];
	x /= 7;
	for (int i = 2; i < 11; i++, x /= 10)
		out[i] = (char)('0' + x % 10);
	out[11] = '\0';
}

void gen_uscc(const char *county, uint64_t h, char out[19])
{
	static const char cs[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	static const int wt[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };
	out[0] = '9';   /* registered by 市场监管 */
	out[1] = '2';   /* 个体工商户 */
	memcpy(out + 2, county, 6);
	for (int i = 8; i < 17; i++, h /= 31)
		out[i] = cs[h % 31];
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (int)(strchr(cs, out[i]) - cs) * wt[i];
	out[17] = cs[(31 - sum % 31) % 31];
	out[18] = '\0';
}

/* ---- names ---- */

/* The most common surnames with rough frequencies (per mille of the population). */
static const struct {
	const char *s;
	unsigned w;
} surnames[] = {
	{ "王", 72 }, { "李", 72 }, { "张", 69 }, { "刘", 54 }, { "陈", 45 }, { "杨", 31 },
	{ "赵", 23 }, { "黄", 22 }, { "周", 21 }, { "吴", 20 }, { "徐", 17 }, { "孙", 16 },
	{ "胡", 13 }, { "朱", 13 }, { "高", 12 }, { "林", 12 }, { "何", 12 }, { "郭", 11 },
	{ "马", 11 }, { "罗", 9 }, { "梁", 9 }, { "宋", 8 }, { "郑", 8 }, { "谢", 7 },
	{ "韩", 7 }, { "唐", 7 }, { "冯", 6 }, { "于", 6 }, { "董", 6 }, { "萧", 5 },
	{ "程", 5 }, { "曹", 5 }, { "袁", 5 }, { "邓", 5 }, { "许", 5 }, { "傅", 5 },
	{ "沈", 4 }, { "曾", 4 }, { "彭", 4 }, { "吕", 4 }, { "苏", 4 }, { "卢", 4 },
	{ "蒋", 4 }, { "蔡", 4 }, { "贾", 4 }, { "丁", 4 }, { "魏", 4 }, { "薛", 3 },
	{ "叶", 3 }, { "阎", 3 }, { "姜", 3 }, { "崔", 3 }, { "潘", 3 }, { "田", 3 },
	{ "任", 3 }, { "付", 3 }, { "范", 3 }, { "方", 3 }, { "石", 3 }, { "姚", 3 },
	{ "谭", 2 }, { "廖", 2 }, { "邹", 2 }, { "熊", 2 }, { "金", 2 }, { "陆", 2 },
	{ "郝", 2 }, { "孔", 2 }, { "白", 2 }, { "康", 2 }, { "毛", 2 },
	{ "邱", 2 }, { "秦", 2 }, { "江", 2 }, { "史", 2 }, { "顾", 2 }, { "侯", 2 },
	{ "邵", 2 }, { "孟", 2 }, { "龙", 2 }, { "万", 2 }, { "段", 2 }, { "欧阳", 1 },
	{ "司马", 1 }, { "朴", 1 }, { "关", 2 }, { "佟", 1 }, { "那", 1 },
};
static const char male_chars[] =
	"伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林洋东峰海国庆建成志永春德福贵祥宝山";
static const char female_chars[] =
	"芳娜敏静丽艳娟霞秀英华慧巧美娅琳燕红玲桂兰凤琴萍雪梅莉婷颖倩晶月莹洁丹欣怡淑珍玉秋云";

/* All characters above are 3 bytes in UTF-8. */
static size_t put_char(const char *set, size_t setlen, uint64_t pick, char *out)
{
	size_t n = setlen / 3;
	memcpy(out, set + (pick % n) * 3, 3);
	return 3;
}

size_t dd_gen_name(uint64_t h, char sex, const char *surname, char out[16])
{
	size_t len;
	if (surname) {
		len = strlen(surname);
		memcpy(out, surname, len);
	} else {
		static unsigned total;
		if (!total)
			for (size_t i = 0; i < DD_ARRAY_LEN(surnames); i++)
				total += surnames[i].w;
		unsigned x = (unsigned)(h % total);
		size_t i = 0;
		while (x >= surnames[i].w) {
			x -= surnames[i].w;
			i++;
		}
		len = strlen(surnames[i].s);
		memcpy(out, surnames[i].s, len);
	}
	h = dd_gen_mix(h);
	const char *set = sex == 'F' ? female_chars : male_chars;
	size_t setlen = sex == 'F' ? sizeof female_chars - 1 : sizeof male_chars - 1;
	len += put_char(set, setlen, h >> 8, out + len);
	if (h % 10 < 7)
		len += put_char(set, setlen, h >> 24, out + len);
	out[len] = '\0';
	return len;
}

const char *gen_surname_of(const char *name, char out[8])
{
	size_t n = 3;
	for (size_t i = 0; i < DD_ARRAY_LEN(surnames); i++)
		if (strlen(surnames[i].s) == 6 && !strncmp(name, surnames[i].s, 6))
			n = 6;
	memcpy(out, name, n);
	out[n] = '\0';
	return out;
}

/* ---- writer ---- */

dd_rc gw_open(gw *w, const char *path, const char *header, dd_err *err)
{
	dd_rc rc = DD_ERR_IO;
	memset(w, 0, sizeof *w);
	snprintf(w->path, sizeof w->path, "%s", path);
	w->buf = malloc(GW_CAP);
	if (!w->buf) {
		rc = dd_err_set(err, DD_ERR_NOMEM, "out of memory for %s", path);
		goto done;
	}
	w->f = fopen(path, "wb");
	if (!w->f) {
		rc = dd_err_set(err, DD_ERR_IO, "cannot write %s: %s", path, strerror(errno));
		goto done;
	}
	gw_s(w, header);
	gw_c(w, '\n');
	rc = DD_OK;
done:
	return rc;
}

void gw_flush(gw *w)
{
	if (w->len && w->f && fwrite(w->buf, 1, w->len, w->f) != w->len)
		w->failed = true;
	w->len = 0;
}

dd_rc gw_close(gw *w, dd_err *err)
{
	dd_rc rc = DD_OK;
	if (w->f) {
		gw_flush(w);
		if (fclose(w->f) != 0)
			w->failed = true;
		w->f = NULL;
		if (w->failed)
			rc = dd_err_set(err, DD_ERR_IO, "write error on %s", w->path);
	}
	free(w->buf);
	w->buf = NULL;
	return rc;
}

void gw_s(gw *w, const char *s)
{
	gw_mem(w, s, strlen(s));
}

void gw_field(gw *w, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		gw_s(w, s);
		return;
	}
	gw_c(w, '"');
	for (; *s; s++) {
		if (*s == '"')
			gw_c(w, '"');
		gw_c(w, *s);
	}
	gw_c(w, '"');
}

void gw_u64(gw *w, uint64_t v)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		gw_c(w, tmp[--n]);
}

void gw_money(gw *w, dd_fen v)
{
	if (v < 0) {
		gw_c(w, '-');
		v = -v;
	}
	gw_u64(w, (uint64_t)v / 100);
	gw_c(w, '.');
	gw_c(w, (char)('0' + v / 10 % 10));
	gw_c(w, (char)('0' + v % 10));
}

static void put2(gw *w, int v)
{
	gw_c(w, (char)('0' + v / 10));
	gw_c(w, (char)('0' + v % 10));
}

void gw_date(gw *w, dd_date d)
{
	if (d == DD_DATE_NONE)
		return;
	int y, m, day;
	dd_date_to_ymd(d, &y, &m, &day);
	put2(w, y / 100);
	put2(w, y % 100);
	gw_c(w, '-');
	put2(w, m);
	gw_c(w, '-');
	put2(w, day);
}

void gw_month(gw *w, dd_month m)
{
	int y = dd_month_year(m);
	put2(w, y / 100);
	put2(w, y % 100);
	gw_c(w, '-');
	put2(w, dd_month_num(m));
}

void gw_id(gw *w, uint64_t key)
{
	char id[19];
	gen_key_text(key, id);
	gw_mem(w, id, 18);
}

dd_rc gen_open(gen *g, gw *w, const char *relpath, const char *header)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", g->o.out_dir, relpath);
	return gw_open(w, path, header, g->err);
}

dd_rc gen_close(gen *g, gw *w, dd_gen_report_fn report, void *arg)
{
	uint64_t rows = w->rows;
	char path[512];
	snprintf(path, sizeof path, "%s", w->path);
	dd_rc rc = gw_close(w, g->err);
	if (rc == DD_OK && report)
		report(path, rows, arg);
	return rc;
}
