/*
 * i915-vma-cleanup-status: is the i915-vma-cleanup i915.ko built, installed, in the
 * initramfs, signed and loaded, for every kernel in /lib/modules?
 *
 *   i915-vma-cleanup-status [--json] [--root DIR] [--kernel KVER]...
 *
 * For each kernel: affected (mode of our module: fix = the kernel lacks the upstream
 * cleanup, verify = it has it), whether modprobe resolves i915 to our module
 * (updates/ or extra/, modinfo dkms_package), whether the i915 inside the kernel's
 * initramfs is byte-identical (decompressed sha256) to the one modprobe loads, who
 * signed it, and, for the running kernel, whether the loaded i915 is it
 * (/sys/module/i915/parameters/dkms_identity, srcversion).
 *
 * Exit: 0 consistent (or nothing installed), 1 something is inconsistent (each
 * problem is printed with what to do), 2 usage. Runs without root; what it could not
 * read is listed under "not checked". Only libc: modinfo, lsinitramfs/unmkinitramfs
 * (or lsinitrd), xz/zstd/gzip and mokutil are run as programs when present.
 *
 * --root DIR reads DIR/lib/modules, DIR/boot, DIR/var/lib/dkms, DIR/sys and DIR/proc
 * instead of the live system (image builders, tests); the running kernel is then
 * DIR/proc/sys/kernel/osrelease when it exists.
 *
 * SPDX-License-Identifier: GPL-2.0-only
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef PKG_VERSION
#define PKG_VERSION "unknown"
#endif
#define PKG_NAME "i915-vma-cleanup"
#define PROG "i915-vma-cleanup-status"
#define MAXK 64
#define MAXMSG 16
#define FIELD 512

/* ------------------------------------------------------------------ sha256 --- */
struct sha256 { uint32_t h[8]; uint64_t len; unsigned char buf[64]; size_t n; };
static const uint32_t K256[64] = {
	0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,
	0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,
	0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,
	0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,
	0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,
	0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,
	0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,
	0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2 };
#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
static void sha_block(struct sha256 *s, const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, h, t1, t2;
	int i;
	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4*i] << 24 | (uint32_t)p[4*i+1] << 16 | (uint32_t)p[4*i+2] << 8 | p[4*i+3];
	for (i = 16; i < 64; i++)
		w[i] = (ROR(w[i-2], 17) ^ ROR(w[i-2], 19) ^ (w[i-2] >> 10)) + w[i-7] +
		       (ROR(w[i-15], 7) ^ ROR(w[i-15], 18) ^ (w[i-15] >> 3)) + w[i-16];
	a = s->h[0]; b = s->h[1]; c = s->h[2]; d = s->h[3];
	e = s->h[4]; f = s->h[5]; g = s->h[6]; h = s->h[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
	}
	s->h[0] += a; s->h[1] += b; s->h[2] += c; s->h[3] += d;
	s->h[4] += e; s->h[5] += f; s->h[6] += g; s->h[7] += h;
}
static void sha_init(struct sha256 *s)
{
	static const uint32_t iv[8] = { 0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,
					0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19 };
	memcpy(s->h, iv, sizeof(iv));
	s->len = 0; s->n = 0;
}
static void sha_update(struct sha256 *s, const unsigned char *p, size_t n)
{
	s->len += n;
	while (n > 0) {
		size_t k = 64 - s->n < n ? 64 - s->n : n;
		memcpy(s->buf + s->n, p, k);
		s->n += k; p += k; n -= k;
		if (s->n == 64) { sha_block(s, s->buf); s->n = 0; }
	}
}
static void sha_hex(struct sha256 *s, char out[65])
{
	uint64_t bits = s->len * 8;
	unsigned char pad = 0x80, z = 0, l[8];
	int i;
	sha_update(s, &pad, 1);
	while (s->n != 56) sha_update(s, &z, 1);
	for (i = 0; i < 8; i++) l[i] = (unsigned char)(bits >> (56 - 8*i));
	sha_update(s, l, 8);
	for (i = 0; i < 8; i++) sprintf(out + 8*i, "%08x", s->h[i]);
}

/* ------------------------------------------------------------------ helpers --- */
static const char *root = "/";   /* --root */
static char rootpfx[PATH_MAX];   /* "" for "/", else root without trailing slash */

static int exists(const char *p) { struct stat st; return stat(p, &st) == 0; }
static int is_dir(const char *p) { struct stat st; return stat(p, &st) == 0 && S_ISDIR(st.st_mode); }

/* snprintf into a path buffer; a path that does not fit becomes "" (never opened) */
static void fmt_path(char *out, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;
	va_start(ap, fmt);
	r = vsnprintf(out, n, fmt, ap);
	va_end(ap);
	if (r < 0 || (size_t)r >= n) out[0] = 0;
}

/* a path below --root */
static void rpath(char *out, size_t n, const char *fmt, ...)
{
	char tail[PATH_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tail, sizeof(tail), fmt, ap);
	va_end(ap);
	fmt_path(out, n, "%s%s", rootpfx, tail);
}

/* strip the --root prefix for display */
static const char *shown(const char *p)
{
	size_t l = strlen(rootpfx);
	return (l && strncmp(p, rootpfx, l) == 0 && p[l] == '/') ? p + l : p;
}

static int have_prog(const char *name)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX], *dirs, *d, *save = NULL;
	int found = 0;
	if (!path) path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	dirs = strdup(path);
	for (d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		snprintf(buf, sizeof(buf), "%s/%s", d, name);
		found = access(buf, X_OK) == 0;
	}
	/* sbin is often missing from a user's PATH; modinfo lives there on old systems */
	if (!found) {
		static const char *const extra[] = { "/usr/sbin", "/sbin", NULL };
		int i;
		for (i = 0; extra[i] && !found; i++) {
			snprintf(buf, sizeof(buf), "%s/%s", extra[i], name);
			found = access(buf, X_OK) == 0;
		}
	}
	free(dirs);
	return found;
}

/* run argv with stdout to a pipe (stderr to /dev/null); fd returned, pid in *pid */
static int spawn(char *const argv[], pid_t *pid)
{
	int fd[2];
	if (pipe(fd) < 0) return -1;
	*pid = fork();
	if (*pid < 0) { close(fd[0]); close(fd[1]); return -1; }
	if (*pid == 0) {
		int nul = open("/dev/null", O_RDWR);
		dup2(fd[1], 1);
		if (nul >= 0) { dup2(nul, 2); dup2(nul, 0); }
		close(fd[0]); close(fd[1]);
		setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 0);
		execvp(argv[0], argv);
		/* sbin not in PATH */
		if (strchr(argv[0], '/') == NULL) {
			char p[PATH_MAX];
			snprintf(p, sizeof(p), "/usr/sbin/%s", argv[0]); execv(p, argv);
			snprintf(p, sizeof(p), "/sbin/%s", argv[0]); execv(p, argv);
		}
		_exit(127);
	}
	close(fd[1]);
	return fd[0];
}

static int reap(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* run argv, capture stdout (malloc'ed, NUL-terminated) in *out; returns exit status */
static int run(char *const argv[], char **out)
{
	pid_t pid;
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t r;
	int fd = spawn(argv, &pid);
	if (fd < 0 || !buf) { free(buf); *out = NULL; return -1; }
	while ((r = read(fd, buf + len, cap - len - 1)) > 0 || (r < 0 && errno == EINTR)) {
		if (r < 0) continue;
		len += (size_t)r;
		if (cap - len < 2) { cap *= 2; buf = realloc(buf, cap); if (!buf) break; }
	}
	close(fd);
	if (buf) buf[len] = 0;
	*out = buf;
	return reap(pid);
}

static void rm_rf(const char *dir)
{
	char *argv[] = { "rm", "-rf", (char *)dir, NULL };
	char *out = NULL;
	run(argv, &out);
	free(out);
}

static void chomp(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n-1] == '\n' || s[n-1] == ' ' || s[n-1] == '\t' || s[n-1] == '\r')) s[--n] = 0;
}

static int read_line(const char *path, char *out, size_t n)
{
	FILE *f = fopen(path, "r");
	if (!f) return -1;
	if (!fgets(out, (int)n, f)) out[0] = 0;
	fclose(f);
	chomp(out);
	return 0;
}

static int ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

/* sha256 of the decompressed content of a module file; *signed_out: the decompressed
 * content ends with the kernel's module signature marker. Returns 0 or -errno. */
static const char SIG_MAGIC[] = "~Module signature appended~\n";
static int module_sha(const char *path, char hex[65], int *signed_out)
{
	const char *tool = NULL;
	unsigned char buf[65536], tail[sizeof(SIG_MAGIC) - 1];
	size_t tl = 0, ml = sizeof(SIG_MAGIC) - 1;
	struct sha256 s;
	ssize_t r;
	pid_t pid = 0;
	int fd, rc = 0;

	if (ends_with(path, ".xz")) tool = "xz";
	else if (ends_with(path, ".zst")) tool = "zstd";
	else if (ends_with(path, ".gz")) tool = "gzip";
	if (access(path, R_OK) != 0) return -errno;
	if (tool) {
		char *argv[] = { (char *)tool, "-dc", (char *)path, NULL };
		if (!have_prog(tool)) return -ENOEXEC;
		fd = spawn(argv, &pid);
	} else {
		fd = open(path, O_RDONLY);
	}
	if (fd < 0) return -errno;
	sha_init(&s);
	while ((r = read(fd, buf, sizeof(buf))) > 0 || (r < 0 && errno == EINTR)) {
		if (r <= 0) continue;
		sha_update(&s, buf, (size_t)r);
		if ((size_t)r >= ml) { memcpy(tail, buf + r - ml, ml); tl = ml; }
		else {
			size_t keep = tl + (size_t)r > ml ? ml - (size_t)r : tl;
			memmove(tail, tail + tl - keep, keep);
			memcpy(tail + keep, buf, (size_t)r);
			tl = keep + (size_t)r;
		}
	}
	close(fd);
	if (pid && reap(pid) != 0) rc = -EIO;
	sha_hex(&s, hex);
	if (signed_out) *signed_out = tl == ml && memcmp(tail, SIG_MAGIC, ml) == 0;
	return rc;
}

/* ------------------------------------------------------------------ modinfo --- */
struct modinfo {
	char path[PATH_MAX];
	char version[FIELD], dkms_package[FIELD], dkms_mode[FIELD], dkms_generation[FIELD];
	char dkms_source[FIELD], dkms_source_sha256[FIELD], dkms_upstream_fix[FIELD];
	char vermagic[FIELD], srcversion[FIELD], signer[FIELD], sig_key[FIELD], sig_hashalgo[FIELD];
	char sha[65];
	int sha_err;      /* 0, or -errno of module_sha */
	int sig_marker;   /* signature marker at the end of the decompressed file */
	int ok;           /* modinfo could read it */
};

static void mi_set(struct modinfo *m, const char *key, const char *val)
{
	struct { const char *k; char *v; } t[] = {
		{ "version", m->version }, { "dkms_package", m->dkms_package },
		{ "dkms_mode", m->dkms_mode }, { "dkms_generation", m->dkms_generation },
		{ "dkms_source", m->dkms_source }, { "dkms_source_sha256", m->dkms_source_sha256 },
		{ "dkms_upstream_fix", m->dkms_upstream_fix }, { "vermagic", m->vermagic },
		{ "srcversion", m->srcversion }, { "signer", m->signer }, { "sig_key", m->sig_key },
		{ "sig_hashalgo", m->sig_hashalgo },
	};
	size_t i;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(key, t[i].k) == 0 && t[i].v[0] == 0)
			snprintf(t[i].v, FIELD, "%s", val);
}

static int read_modinfo(const char *path, struct modinfo *m)
{
	char *argv[] = { "modinfo", (char *)path, NULL };
	char *out = NULL, *line, *save = NULL;
	memset(m, 0, sizeof(*m));
	snprintf(m->path, sizeof(m->path), "%s", path);
	if (run(argv, &out) != 0 || !out) { free(out); return -1; }
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c = strchr(line, ':'), *v;
		if (!c || line[0] == '\t' || line[0] == ' ') continue;
		*c = 0;
		for (v = c + 1; *v == ' ' || *v == '\t'; v++) ;
		chomp(v);
		mi_set(m, line, v);
	}
	free(out);
	m->ok = 1;
	m->sha_err = module_sha(path, m->sha, &m->sig_marker);
	return 0;
}

/* modinfo [-b ROOT] -k K -n NAME: the file modprobe would load, or "" */
static void resolve_module(const char *kver, const char *name, char *out, size_t n)
{
	char *argv[8], *res = NULL;
	int i = 0;
	argv[i++] = "modinfo";
	if (rootpfx[0]) { argv[i++] = "-b"; argv[i++] = rootpfx; }
	argv[i++] = "-k"; argv[i++] = (char *)kver; argv[i++] = "-n"; argv[i++] = (char *)name;
	argv[i] = NULL;
	out[0] = 0;
	if (run(argv, &res) == 0 && res) {
		char *nl = strchr(res, '\n');
		if (nl) *nl = 0;
		if (res[0] == '/') {
			/* some kmod versions print the path without the -b prefix */
			if (rootpfx[0] && strncmp(res, rootpfx, strlen(rootpfx)) != 0)
				snprintf(out, n, "%s%s", rootpfx, res);
			else
				snprintf(out, n, "%s", res);
		}
	}
	free(res);
}

static int out_of_tree(const char *path)
{
	return strstr(path, "/updates/") != NULL || strstr(path, "/extra/") != NULL;
}

static int is_ours(const struct modinfo *m)
{
	return m->ok && strcmp(m->dkms_package, PKG_NAME) == 0;
}

/* first word of vermagic */
static void vermagic_kernel(const char *vm, char *out, size_t n)
{
	size_t i = 0;
	while (vm[i] && vm[i] != ' ' && i + 1 < n) { out[i] = vm[i]; i++; }
	out[i] = 0;
}

/* ------------------------------------------------------------------ per kernel --- */
enum initrd_state { IR_NOT_CHECKED, IR_NONE, IR_UNREADABLE, IR_NO_I915, IR_SAME, IR_STOCK, IR_OTHER, IR_NO_MODULE };
static const char *const ir_json[] = { "not-checked", "no-initramfs", "unreadable", "no-i915",
				       "same", "stock", "other", "no-module" };
enum loaded_state { LD_NOT_RUNNING, LD_UNKNOWN, LD_NOT_LOADED, LD_OURS_SAME, LD_OURS_OTHER, LD_STOCK };
static const char *const ld_json[] = { "not-running", "unknown", "not-loaded", "ours",
				       "ours-other-build", "stock" };

struct kernel {
	char kver[256];
	char i915_config[8];      /* y, m, n, "" = no headers */
	int preempt_rt;           /* CONFIG_PREEMPT_RT=y: dkms skips it without its rt patch set (docs/compat.md) */
	int has_modules;          /* modules.dep or kernel/ present */
	struct modinfo mod;       /* what modprobe loads (mod.path "" = none) */
	int ours;
	char built_mode[FIELD];   /* mode of a module in the dkms tree (not installed) */
	char built_path[PATH_MAX];
	char stock_path[PATH_MAX], stock_sha[65];
	char kvmgt_path[PATH_MAX];
	int kvmgt_ours;
	char initrd[PATH_MAX], initrd_i915[PATH_MAX], initrd_sha[65];
	enum initrd_state ir;
	enum loaded_state ld;
	char loaded_identity[1024];
	char problems[MAXMSG][768]; int np;
	char notes[MAXMSG][768]; int nn;   /* not checked / pending, never a failure */
};

static void problem(struct kernel *k, const char *fmt, ...)
{
	va_list ap;
	if (k->np >= MAXMSG) return;
	va_start(ap, fmt);
	vsnprintf(k->problems[k->np++], sizeof(k->problems[0]), fmt, ap);
	va_end(ap);
}

static void note(struct kernel *k, const char *fmt, ...)
{
	va_list ap;
	if (k->nn >= MAXMSG) return;
	va_start(ap, fmt);
	vsnprintf(k->notes[k->nn++], sizeof(k->notes[0]), fmt, ap);
	va_end(ap);
}

static char running[256];
static int running_known;
static char secure_boot[32] = "unknown";   /* enabled, disabled, not-efi, unknown */

static void find_stock(struct kernel *k)
{
	static const char *const ext[] = { "", ".xz", ".zst", ".gz", NULL };
	char p[PATH_MAX];
	int i;
	k->stock_path[0] = 0;
	for (i = 0; ext[i]; i++) {
		rpath(p, sizeof(p), "/lib/modules/%s/kernel/drivers/gpu/drm/i915/i915.ko%s", k->kver, ext[i]);
		if (exists(p)) { snprintf(k->stock_path, sizeof(k->stock_path), "%s", p); break; }
	}
	if (k->stock_path[0] && module_sha(k->stock_path, k->stock_sha, NULL) != 0)
		k->stock_sha[0] = 0;
}

static void find_built(struct kernel *k)
{
	char pat[PATH_MAX];
	glob_t g;
	size_t i;
	rpath(pat, sizeof(pat), "/var/lib/dkms/%s/*/%s/*/module/i915.ko*", PKG_NAME, k->kver);
	if (glob(pat, 0, NULL, &g) != 0) return;
	for (i = 0; i < g.gl_pathc; i++) {
		char *argv[] = { "modinfo", "-F", "dkms_mode", g.gl_pathv[i], NULL };
		char *out = NULL;
		if (run(argv, &out) == 0 && out && out[0]) {
			chomp(out);
			snprintf(k->built_mode, sizeof(k->built_mode), "%s", out);
			snprintf(k->built_path, sizeof(k->built_path), "%s", g.gl_pathv[i]);
		}
		free(out);
		if (k->built_mode[0]) break;
	}
	globfree(&g);
}

/* nftw: find a file below the unpack dir whose path ends with "/<want>" */
static const char *ftw_want;
static char ftw_found[PATH_MAX];
static int ftw_cb(const char *p, const struct stat *st, int type, struct FTW *f)
{
	char suf[PATH_MAX];
	(void)st; (void)f;
	if (type != FTW_F) return 0;
	snprintf(suf, sizeof(suf), "/%s", ftw_want);
	if (ends_with(p, suf)) { snprintf(ftw_found, sizeof(ftw_found), "%s", p); return 1; }
	return 0;
}

static int pick_i915(const char *listing, char *out, size_t n)
{
	/* the copy the initramfs's own modprobe would take: updates/, extra/, then kernel/ */
	static const char *const pref[] = { "/updates/", "/extra/", "", NULL };
	int i;
	for (i = 0; pref[i]; i++) {
		const char *l = listing;
		while (l && *l) {
			const char *e = strchr(l, '\n');
			size_t len = e ? (size_t)(e - l) : strlen(l);
			char line[PATH_MAX], *name;
			if (len < sizeof(line)) {
				memcpy(line, l, len); line[len] = 0;
				/* lsinitrd prints ls -l lines: the path is the last field */
				name = strrchr(line, ' ');
				name = name ? name + 1 : line;
				while (name[0] == '.' && name[1] == '/') name += 2;
				if ((ends_with(name, "/i915.ko") || ends_with(name, "/i915.ko.xz") ||
				     ends_with(name, "/i915.ko.zst") || ends_with(name, "/i915.ko.gz")) &&
				    (!pref[i][0] || strstr(name, pref[i]))) {
					snprintf(out, n, "%s", name);
					return 1;
				}
			}
			l = e ? e + 1 : NULL;
		}
	}
	return 0;
}

static void check_initramfs(struct kernel *k, int no_initramfs)
{
	char p[PATH_MAX], *listing = NULL, tmpl[PATH_MAX];
	const char *tmpdir = getenv("TMPDIR");
	int debian;

	k->ir = IR_NONE;
	rpath(p, sizeof(p), "/boot/initrd.img-%s", k->kver);
	if (!exists(p)) rpath(p, sizeof(p), "/boot/initramfs-%s.img", k->kver);
	if (!exists(p)) return;
	snprintf(k->initrd, sizeof(k->initrd), "%s", p);
	if (no_initramfs) { k->ir = IR_NOT_CHECKED; note(k, "initramfs not checked (--no-initramfs)"); return; }
	if (access(p, R_OK) != 0) {
		k->ir = IR_UNREADABLE;
		note(k, "initramfs not checked: cannot read %s (%s): run as root", shown(p), strerror(errno));
		return;
	}
	debian = have_prog("lsinitramfs") && have_prog("unmkinitramfs");
	if (!debian && !have_prog("lsinitrd")) {
		k->ir = IR_NOT_CHECKED;
		note(k, "initramfs not checked: neither lsinitramfs/unmkinitramfs (initramfs-tools) nor lsinitrd (dracut) is installed");
		return;
	}
	{
		char *argv[] = { debian ? "lsinitramfs" : "lsinitrd", p, NULL };
		if (run(argv, &listing) != 0 && (!listing || !listing[0])) {
			free(listing);
			k->ir = IR_NOT_CHECKED;
			note(k, "initramfs not checked: %s cannot list %s", argv[0], shown(p));
			return;
		}
	}
	if (!pick_i915(listing, k->initrd_i915, sizeof(k->initrd_i915))) {
		free(listing);
		k->ir = IR_NO_I915;   /* i915 then loads from /lib/modules: consistent */
		return;
	}
	free(listing);
	if (!k->mod.path[0]) { k->ir = IR_NO_MODULE; return; }

	snprintf(tmpl, sizeof(tmpl), "%s/" PROG ".XXXXXX", tmpdir && tmpdir[0] ? tmpdir : "/tmp");
	if (!mkdtemp(tmpl)) {
		k->ir = IR_NOT_CHECKED;
		note(k, "initramfs not checked: cannot create a temporary directory (%s)", strerror(errno));
		return;
	}
	if (debian) {
		char *argv[] = { "unmkinitramfs", p, tmpl, NULL }, *out = NULL;
		run(argv, &out);   /* non-root: device nodes fail, regular files are there */
		free(out);
		ftw_want = k->initrd_i915; ftw_found[0] = 0;
		nftw(tmpl, ftw_cb, 16, FTW_PHYS);
	} else {
		/* dracut: lsinitrd FILE -f PATH writes the file (binary) to stdout */
		char *argv[] = { "lsinitrd", p, "-f", k->initrd_i915, NULL };
		const char *base = strrchr(k->initrd_i915, '/');
		pid_t pid;
		int fd = spawn(argv, &pid);
		FILE *f;
		fmt_path(ftw_found, sizeof(ftw_found), "%s/%s", tmpl, base ? base + 1 : "i915.ko");
		f = fd >= 0 ? fopen(ftw_found, "w") : NULL;
		if (f) {
			char b[65536];
			ssize_t r;
			while ((r = read(fd, b, sizeof(b))) > 0) fwrite(b, 1, (size_t)r, f);
			fclose(f);
		}
		if (fd >= 0) { close(fd); if (reap(pid) != 0) ftw_found[0] = 0; }
	}
	if (!ftw_found[0] || module_sha(ftw_found, k->initrd_sha, NULL) != 0) {
		k->ir = IR_NOT_CHECKED;
		note(k, "initramfs not checked: could not unpack %s from %s (run as root?)", k->initrd_i915, shown(p));
	} else if (k->mod.sha_err == 0 && strcmp(k->initrd_sha, k->mod.sha) == 0) {
		k->ir = IR_SAME;
	} else if (k->stock_sha[0] && strcmp(k->initrd_sha, k->stock_sha) == 0) {
		k->ir = IR_STOCK;
	} else {
		k->ir = IR_OTHER;
	}
	rm_rf(tmpl);
}

/* identity "i915-vma-cleanup VER mode=M generation=G source=S sha256=H kernel=K upstream=U" */
static void ident_field(const char *id, const char *key, char *out, size_t n)
{
	char pat[64];
	const char *p;
	size_t i = 0;
	snprintf(pat, sizeof(pat), " %s=", key);
	out[0] = 0;
	p = strstr(id, pat);
	if (!p) return;
	p += strlen(pat);
	while (p[i] && p[i] != ' ' && i + 1 < n) { out[i] = p[i]; i++; }
	out[i] = 0;
}

static long boot_time(void)
{
	char p[PATH_MAX], line[256];
	FILE *f;
	long bt = 0;
	rpath(p, sizeof(p), "/proc/stat");
	f = fopen(p, "r");
	if (!f) return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "btime %ld", &bt) == 1) break;
	fclose(f);
	return bt;
}

static void check_loaded(struct kernel *k)
{
	char p[PATH_MAX], id[1024] = "", srcv[128] = "";
	if (!running_known) { k->ld = LD_UNKNOWN; return; }
	if (strcmp(k->kver, running) != 0) { k->ld = LD_NOT_RUNNING; return; }
	rpath(p, sizeof(p), "/sys/module/i915");
	if (!is_dir(p)) { k->ld = LD_NOT_LOADED; return; }
	rpath(p, sizeof(p), "/sys/module/i915/parameters/dkms_identity");
	if (read_line(p, id, sizeof(id)) != 0 || strncmp(id, PKG_NAME " ", strlen(PKG_NAME) + 1) != 0) {
		k->ld = LD_STOCK;
	} else {
		char mode[64], src[64], sha[80], kern[256], ver[64];
		snprintf(k->loaded_identity, sizeof(k->loaded_identity), "%s", id);
		sscanf(id + strlen(PKG_NAME) + 1, "%63s", ver);
		ident_field(id, "mode", mode, sizeof(mode));
		ident_field(id, "source", src, sizeof(src));
		ident_field(id, "sha256", sha, sizeof(sha));
		ident_field(id, "kernel", kern, sizeof(kern));
		rpath(p, sizeof(p), "/sys/module/i915/srcversion");
		read_line(p, srcv, sizeof(srcv));
		if (k->ours && strcmp(ver, k->mod.version) == 0 && strcmp(mode, k->mod.dkms_mode) == 0 &&
		    strcmp(src, k->mod.dkms_source) == 0 && strcmp(sha, k->mod.dkms_source_sha256) == 0 &&
		    (!srcv[0] || !k->mod.srcversion[0] || strcmp(srcv, k->mod.srcversion) == 0))
			k->ld = LD_OURS_SAME;
		else
			k->ld = LD_OURS_OTHER;
	}

	if (k->ours && k->ld != LD_OURS_SAME) {
		struct stat st;
		long bt = boot_time();
		if (bt > 0 && stat(k->mod.path, &st) == 0 && st.st_mtime < bt)
			problem(k, "the loaded i915 is %s, not the installed %s, although that was installed before this boot: "
				"check the initramfs (update-initramfs -u -k %s), 'modprobe -c | grep i915' and blacklists",
				k->ld == LD_STOCK ? "the stock one" : "another build of this package", shown(k->mod.path), k->kver);
		else
			note(k, "pending: the loaded i915 is %s; reboot (or modprobe -r i915 && modprobe i915) to load the installed one",
			     k->ld == LD_STOCK ? "the stock one" : "another build of this package");
	} else if (!k->ours && (k->ld == LD_OURS_SAME || k->ld == LD_OURS_OTHER)) {
		note(k, "pending: the loaded i915 is this package's but it is no longer installed; reboot to load the stock one");
	}
}

static void check_kernel(struct kernel *k, int no_initramfs)
{
	char p[PATH_MAX], vk[256];

	rpath(p, sizeof(p), "/lib/modules/%s/build/.config", k->kver);
	if (exists(p)) {
		FILE *f = fopen(p, "r");
		char line[512];
		snprintf(k->i915_config, sizeof(k->i915_config), "n");
		while (f && fgets(line, sizeof(line), f)) {
			if (strncmp(line, "CONFIG_DRM_I915=", 16) == 0)
				snprintf(k->i915_config, sizeof(k->i915_config), "%c", line[16]);
			else if (strcmp(line, "CONFIG_PREEMPT_RT=y\n") == 0)
				k->preempt_rt = 1;
		}
		if (f) fclose(f);
	}
	rpath(p, sizeof(p), "/lib/modules/%s/modules.dep", k->kver);
	k->has_modules = exists(p);
	if (!k->has_modules) {
		rpath(p, sizeof(p), "/lib/modules/%s/kernel", k->kver);
		k->has_modules = is_dir(p);
	}

	find_stock(k);
	find_built(k);
	resolve_module(k->kver, "i915", p, sizeof(p));
	if (p[0]) {
		if (read_modinfo(p, &k->mod) != 0)
			note(k, "modinfo cannot read %s", shown(p));
		k->ours = out_of_tree(p) && is_ours(&k->mod);
	} else if (k->has_modules) {
		rpath(p, sizeof(p), "/lib/modules/%s/modules.dep", k->kver);
		if (!exists(p))
			note(k, "no modules.dep: run depmod -a %s; module resolution not checked", k->kver);
	}

	if (k->ours) {
		vermagic_kernel(k->mod.vermagic, vk, sizeof(vk));
		if (strcmp(vk, k->kver) != 0)
			problem(k, "the installed %s is built for kernel %s (vermagic), not %s: modprobe will refuse it; "
				"rebuild: dkms remove %s/%s -k %s && dkms install %s/%s -k %s",
				shown(k->mod.path), vk[0] ? vk : "(none)", k->kver, PKG_NAME, k->mod.version, k->kver,
				PKG_NAME, k->mod.version, k->kver);
		resolve_module(k->kver, "kvmgt", k->kvmgt_path, sizeof(k->kvmgt_path));
		if (k->kvmgt_path[0]) {
			char *argv[] = { "modinfo", "-F", "dkms_package", k->kvmgt_path, NULL }, *out = NULL;
			if (run(argv, &out) == 0 && out) { chomp(out); k->kvmgt_ours = strcmp(out, PKG_NAME) == 0; }
			free(out);
			if (!k->kvmgt_ours)
				problem(k, "i915 is this package's but kvmgt (%s) is not: kvmgt will fail to load "
					"(unknown symbols); reinstall: dkms install %s/%s -k %s --force",
					shown(k->kvmgt_path), PKG_NAME, k->mod.version, k->kver);
		}
		if (strcmp(secure_boot, "enabled") == 0 && !k->mod.signer[0] && !k->mod.sig_marker)
			problem(k, "Secure Boot is enabled and %s is not signed: the kernel will refuse it "
				"(see docs/packaging.md, Secure Boot)", shown(k->mod.path));
		if (k->mod.sha_err == -ENOEXEC)
			note(k, "cannot decompress %s (xz/zstd/gzip missing): initramfs comparison not possible", shown(k->mod.path));
	} else if (k->mod.path[0] && out_of_tree(k->mod.path) && k->mod.ok) {
		note(k, "modprobe loads another out-of-tree i915 (%s), not this package's", shown(k->mod.path));
	} else if (strcmp(k->built_mode, "fix") == 0) {
		/* the kernel lacks the upstream cleanup and runs without it: not "skipped", a problem */
		problem(k, "this kernel needs the fix (dkms built it in fix mode) but runs the stock i915, which leaks: "
			"dkms install %s/<version> -k %s", PKG_NAME, k->kver);
	} else if (k->built_mode[0]) {
		note(k, "built by dkms (%s mode) but not installed: dkms install %s/<version> -k %s",
		     k->built_mode, PKG_NAME, k->kver);
	}

	check_initramfs(k, no_initramfs);
	if (k->ir == IR_STOCK && k->ours)
		problem(k, "%s holds the stock i915, not the installed %s: the stock driver loads at boot; "
			"run update-initramfs -u -k %s (dracut: dracut -f --kver %s)",
			shown(k->initrd), shown(k->mod.path), k->kver, k->kver);
	else if (k->ir == IR_STOCK || k->ir == IR_OTHER)
		problem(k, "%s holds an i915 (%s) that is not the one modprobe loads (%s): run update-initramfs -u -k %s",
			shown(k->initrd), k->initrd_i915, shown(k->mod.path), k->kver);

	check_loaded(k);
}

/* ------------------------------------------------------------------ output --- */
static void json_str(const char *s)
{
	putchar('"');
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') printf("\\%c", c);
		else if (c == '\n') printf("\\n");
		else if (c == '\t') printf("\\t");
		else if (c < 0x20) printf("\\u%04x", c);
		else putchar(c);
	}
	putchar('"');
}

static void json_kv(const char *k, const char *v, int comma)
{
	json_str(k); putchar(':');
	if (v && v[0]) json_str(v); else printf("null");
	if (comma) putchar(',');
}

static const char *affected_of(const struct kernel *k, const char **mode)
{
	*mode = k->ours ? k->mod.dkms_mode : k->built_mode;
	if (strcmp(*mode, "fix") == 0) return "yes";
	if (strcmp(*mode, "verify") == 0) return "no";
	return "unknown";
}

static void print_json(struct kernel *ks, int n, int bad)
{
	int i, j;
	const char *mode;
	printf("{");
	json_kv("tool", PROG, 1); json_kv("version", PKG_VERSION, 1);
	json_kv("root", root, 1); json_kv("running_kernel", running_known ? running : "", 1);
	json_kv("secure_boot", secure_boot, 1);
	printf("\"consistent\":%s,\"kernels\":[", bad ? "false" : "true");
	for (i = 0; i < n; i++) {
		struct kernel *k = &ks[i];
		const char *aff = affected_of(k, &mode);
		printf("%s{", i ? "," : "");
		json_kv("kernel", k->kver, 1);
		json_kv("i915_config", k->i915_config, 1);
		printf("\"preempt_rt\":%s,", k->preempt_rt ? "true" : "false");
		json_kv("affected", aff, 1);
		json_kv("mode", mode, 1);
		printf("\"installed\":%s,", k->ours ? "true" : "false");
		printf("\"module\":");
		if (!k->mod.path[0]) printf("null,");
		else {
			printf("{");
			json_kv("path", shown(k->mod.path), 1);
			printf("\"ours\":%s,", k->ours ? "true" : "false");
			json_kv("version", k->mod.version, 1);
			json_kv("dkms_mode", k->mod.dkms_mode, 1);
			json_kv("dkms_generation", k->mod.dkms_generation, 1);
			json_kv("dkms_source", k->mod.dkms_source, 1);
			json_kv("dkms_source_sha256", k->mod.dkms_source_sha256, 1);
			json_kv("dkms_upstream_fix", k->mod.dkms_upstream_fix, 1);
			json_kv("vermagic", k->mod.vermagic, 1);
			json_kv("srcversion", k->mod.srcversion, 1);
			json_kv("sha256", k->mod.sha_err ? "" : k->mod.sha, 1);
			printf("\"signed\":%s,", (k->mod.signer[0] || k->mod.sig_marker) ? "true" : "false");
			json_kv("signer", k->mod.signer, 1);
			json_kv("sig_key", k->mod.sig_key, 0);
			printf("},");
		}
		json_kv("stock_module", shown(k->stock_path), 1);
		json_kv("built_mode", k->built_mode, 1);
		json_kv("kvmgt", shown(k->kvmgt_path), 1);
		printf("\"initramfs\":{");
		json_kv("path", shown(k->initrd), 1);
		json_kv("state", ir_json[k->ir], 1);
		json_kv("i915", k->initrd_i915, 1);
		json_kv("sha256", k->initrd_sha, 0);
		printf("},\"loaded\":{");
		json_kv("state", ld_json[k->ld], 1);
		json_kv("identity", k->loaded_identity, 0);
		printf("},\"problems\":[");
		for (j = 0; j < k->np; j++) { if (j) putchar(','); json_str(k->problems[j]); }
		printf("],\"notes\":[");
		for (j = 0; j < k->nn; j++) { if (j) putchar(','); json_str(k->notes[j]); }
		printf("]}");
	}
	printf("]}\n");
}

static void print_table(struct kernel *ks, int n, int bad)
{
	int i, j;
	const char *mode;
	printf("%s %s   root: %s   running kernel: %s   Secure Boot: %s\n\n", PROG, PKG_VERSION, root,
	       running_known ? running : "unknown", secure_boot);
	printf("%-28s %-22s %-22s %-14s %-26s %s\n", "KERNEL", "AFFECTED", "INSTALLED", "INITRAMFS", "SIGNED", "LOADED");
	for (i = 0; i < n; i++) {
		struct kernel *k = &ks[i];
		char aff[64], inst[64], ir[32], sig[64], ld[32];
		const char *a = affected_of(k, &mode);
		if (strcmp(a, "unknown") == 0)
			snprintf(aff, sizeof(aff), "%s", k->i915_config[0] == 'n' ? "no i915 in config" :
				 k->preempt_rt ? "unknown (rt: not built)" : "unknown (not built)");
		else
			snprintf(aff, sizeof(aff), "%s (%s mode)", a, mode);
		if (k->ours)
			snprintf(inst, sizeof(inst), "yes (%s)", k->mod.version);
		else if (!k->has_modules)
			snprintf(inst, sizeof(inst), "no (headers only)");
		else if (!k->mod.path[0])
			snprintf(inst, sizeof(inst), "no (no i915)");
		else if (out_of_tree(k->mod.path))
			snprintf(inst, sizeof(inst), "no (other i915)");
		else
			snprintf(inst, sizeof(inst), "no (stock i915)");
		switch (k->ir) {
		case IR_NONE:        snprintf(ir, sizeof(ir), "no initramfs"); break;
		case IR_UNREADABLE:  snprintf(ir, sizeof(ir), "unreadable"); break;
		case IR_NOT_CHECKED: snprintf(ir, sizeof(ir), "not checked"); break;
		case IR_NO_I915:     snprintf(ir, sizeof(ir), "no i915"); break;
		case IR_SAME:        snprintf(ir, sizeof(ir), "same i915"); break;
		case IR_STOCK:       snprintf(ir, sizeof(ir), "STOCK i915"); break;
		case IR_OTHER:       snprintf(ir, sizeof(ir), "OTHER i915"); break;
		case IR_NO_MODULE:   snprintf(ir, sizeof(ir), "i915, none on disk"); break;
		}
		if (!k->mod.path[0])
			snprintf(sig, sizeof(sig), "-");
		else if (k->mod.signer[0])
			snprintf(sig, sizeof(sig), "yes: %.50s", k->mod.signer);
		else if (k->mod.sig_marker)
			snprintf(sig, sizeof(sig), "yes (signer unknown)");
		else
			snprintf(sig, sizeof(sig), "no");
		snprintf(ld, sizeof(ld), "%s",
			 k->ld == LD_NOT_RUNNING ? "-" : k->ld == LD_UNKNOWN ? "unknown" :
			 k->ld == LD_NOT_LOADED ? "not loaded" : k->ld == LD_OURS_SAME ? "ours (installed)" :
			 k->ld == LD_OURS_OTHER ? "ours (other build)" : "stock");
		printf("%-28s %-22s %-22s %-14s %-26s %s\n", k->kver, aff, inst, ir, sig, ld);
	}
	for (i = 0; i < n; i++) {
		struct kernel *k = &ks[i];
		if (!k->np && !k->nn && !k->ours) continue;
		printf("\n%s:\n", k->kver);
		if (k->ours) {
			printf("  module:     %s (%s mode, linux %s i915, source sha256 %.16s...)\n", shown(k->mod.path),
			       k->mod.dkms_mode, k->mod.dkms_source, k->mod.dkms_source_sha256);
			if (k->mod.signer[0])
				printf("  signature:  signer \"%s\", key %s (%s)\n", k->mod.signer, k->mod.sig_key, k->mod.sig_hashalgo);
		}
		if (k->initrd[0] && k->initrd_i915[0])
			printf("  initramfs:  %s holds %s\n", shown(k->initrd), k->initrd_i915);
		if (k->loaded_identity[0])
			printf("  loaded:     %s\n", k->loaded_identity);
		for (j = 0; j < k->np; j++) printf("  PROBLEM:    %s\n", k->problems[j]);
		for (j = 0; j < k->nn; j++) printf("  note:       %s\n", k->notes[j]);
	}
	printf("\n%s\n", bad ? "INCONSISTENT: see PROBLEM lines above (exit 1)" : "consistent (exit 0)");
}

static void detect_secure_boot(void)
{
	char p[PATH_MAX];
	unsigned char b[5];
	FILE *f;
	rpath(p, sizeof(p), "/sys/firmware/efi");
	if (!is_dir(p)) {
		/* a --root tree without sys/ tells nothing */
		rpath(p, sizeof(p), "/sys");
		snprintf(secure_boot, sizeof(secure_boot), "%s", is_dir(p) ? "not-efi" : "unknown");
		return;
	}
	rpath(p, sizeof(p), "/sys/firmware/efi/efivars/SecureBoot-8be4dfe1-8ca8-11d2-aa0d-00e098032b8c");
	f = fopen(p, "rb");
	if (!f) { snprintf(secure_boot, sizeof(secure_boot), "unknown"); return; }
	if (fread(b, 1, 5, f) == 5)
		snprintf(secure_boot, sizeof(secure_boot), "%s", b[4] == 1 ? "enabled" : "disabled");
	fclose(f);
}

static int cmp_kver(const void *a, const void *b)
{
	return strverscmp(((const struct kernel *)a)->kver, ((const struct kernel *)b)->kver);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--json] [--root DIR] [--kernel KVER]... [--no-initramfs]\n"
		"  For each kernel in DIR/lib/modules: is it affected (fix mode) or not (verify mode),\n"
		"  is the " PKG_NAME " i915.ko installed, does the initramfs hold the same i915,\n"
		"  is it signed and by whom, is the loaded i915 the installed one.\n"
		"  --json          machine-readable output (one JSON object)\n"
		"  --root DIR      inspect an image or another root instead of /\n"
		"  --kernel KVER   only this kernel (repeatable)\n"
		"  --no-initramfs  do not unpack initramfs images (faster)\n"
		"  Exit: 0 consistent, 1 something is inconsistent (PROBLEM lines), 2 usage.\n");
}

int main(int argc, char **argv)
{
	static struct kernel ks[MAXK];
	char only[MAXK][256], p[PATH_MAX];
	int nonly = 0, json = 0, no_initramfs = 0, n = 0, bad = 0, i;
	struct utsname u;
	DIR *d;
	struct dirent *de;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) json = 1;
		else if (strcmp(argv[i], "--no-initramfs") == 0) no_initramfs = 1;
		else if (strcmp(argv[i], "--root") == 0 && i + 1 < argc) root = argv[++i];
		else if (strcmp(argv[i], "--kernel") == 0 && i + 1 < argc) {
			if (nonly < MAXK) snprintf(only[nonly++], sizeof(only[0]), "%s", argv[++i]);
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) { usage(stdout); return 0; }
		else if (strcmp(argv[i], "--version") == 0) { printf(PROG " " PKG_VERSION "\n"); return 0; }
		else { fprintf(stderr, PROG ": error: unknown argument '%s'\n", argv[i]); usage(stderr); return 2; }
	}
	if (!realpath(root, rootpfx)) {
		fprintf(stderr, PROG ": error: --root %s: %s\n", root, strerror(errno));
		return 2;
	}
	if (strcmp(rootpfx, "/") == 0) rootpfx[0] = 0;
	if (!have_prog("modinfo")) {
		fprintf(stderr, PROG ": error: modinfo not found: apt-get install kmod (dnf/zypper install kmod)\n");
		return 2;
	}

	if (rootpfx[0]) {
		rpath(p, sizeof(p), "/proc/sys/kernel/osrelease");
		running_known = read_line(p, running, sizeof(running)) == 0 && running[0];
	} else if (uname(&u) == 0) {
		snprintf(running, sizeof(running), "%s", u.release);
		running_known = 1;
	}
	detect_secure_boot();

	rpath(p, sizeof(p), "/lib/modules");
	d = opendir(p);
	if (!d) {
		fprintf(stderr, PROG ": error: cannot read %s: %s\n", p, strerror(errno));
		return 2;
	}
	while ((de = readdir(d)) && n < MAXK) {
		char kd[PATH_MAX];
		int want = nonly == 0;
		if (de->d_name[0] == '.') continue;
		fmt_path(kd, sizeof(kd), "%s/%s", p, de->d_name);
		if (!is_dir(kd)) continue;
		for (i = 0; i < nonly; i++) want |= strcmp(only[i], de->d_name) == 0;
		if (!want) continue;
		snprintf(ks[n++].kver, sizeof(ks[0].kver), "%s", de->d_name);
	}
	closedir(d);
	for (i = 0; i < nonly; i++) {
		int j, found = 0;
		for (j = 0; j < n; j++) found |= strcmp(ks[j].kver, only[i]) == 0;
		if (!found) { fprintf(stderr, PROG ": error: no %s/%s\n", p, only[i]); return 2; }
	}
	qsort(ks, (size_t)n, sizeof(ks[0]), cmp_kver);

	for (i = 0; i < n; i++) {
		check_kernel(&ks[i], no_initramfs);
		bad |= ks[i].np > 0;
	}
	/* Secure Boot: is the dkms signing certificate enrolled? (live system only) */
	if (!rootpfx[0] && strcmp(secure_boot, "enabled") == 0 && have_prog("mokutil") && exists("/var/lib/dkms/mok.pub")) {
		char *av[] = { "mokutil", "--test-key", "/var/lib/dkms/mok.pub", NULL }, *out = NULL;
		run(av, &out);
		for (i = 0; i < n; i++)
			if (ks[i].ours && out && strstr(out, "not enrolled") &&
			    strstr(ks[i].mod.signer, "DKMS")) {
				problem(&ks[i], "signed with /var/lib/dkms/mok.pub, which is not enrolled: "
					"mokutil --import /var/lib/dkms/mok.pub, then reboot and enrol it");
				bad = 1;
			}
		free(out);
	}

	if (json) print_json(ks, n, bad);
	else print_table(ks, n, bad);
	return bad ? 1 : 0;
}
