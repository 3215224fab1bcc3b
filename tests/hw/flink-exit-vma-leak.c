/*
 * flink-exit-vma-leak: hardware acceptance test for i915-vma-cleanup.
 *
 * Re-implements the 2016 IGT subtest gem_ppgtt/flink-and-exit-vma-leak with
 * plain libdrm (no IGT):
 *
 *   fd   creates a 4 KiB buffer object and gives it a global (flink) name N;
 *   fd2  opens N, runs it as a batch (MI_BATCH_BUFFER_END) in a context of its
 *        own, so the object gets a VMA in fd2's private (full PPGTT) address
 *        space; debugfs i915_gem_gtt must now list "(name: N)";
 *        then fd2 closes the handle, destroys the context and is closed;
 *   fd3  runs an unrelated batch so the engine drops its last reference to
 *        fd2's context, which lets the context be freed;
 *   then "(name: N)" must leave i915_gem_gtt within 50 x 100 ms.
 *
 * Without "drm/i915: Clean up associated VMAs on context destruction"
 * (upstream e9f24d5fb7cf, Linux 4.4) the VMA stays bound in the dead address
 * space for as long as fd keeps the object alive, and keeps the whole address
 * space allocated with it.
 *
 * Exit status: 0 PASS, 1 FAIL, 2 usage error, 77 SKIP.
 *
 * Part of the i915-vma-cleanup package; see LICENSE at the top of the package.
 */

#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include <linux/magic.h>

/* uapi headers as shipped by libdrm (pkg-config --cflags libdrm) */
#include <xf86drm.h>
#include <i915_drm.h>

#define EXIT_PASS	0
#define EXIT_FAIL	1
#define EXIT_USAGE	2
#define EXIT_SKIP	77

#define PROG		"flink-exit-vma-leak"

#define MI_BATCH_BUFFER_END	(0x0Au << 23)
#define MI_NOOP			0u

#define BO_SIZE		4096u
#define BATCH_LEN	8u			/* two dwords */
#define WAIT_TIMEOUT_NS	(10LL * 1000 * 1000 * 1000)
#define RETRIES		50
#define RETRY_DELAY_MS	100

#define DEBUGFS_ROOT	"/sys/kernel/debug"
#define DEV_DRI		"/dev/dri"
#define DKMS_IDENTITY	"/sys/module/i915/parameters/dkms_identity"

#define MAX_SHOWN_LINES	8

/* ------------------------------------------------------------------ output */

static void say(const char *tag, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say(const char *tag, const char *fmt, ...)
{
	va_list ap;

	printf("%-9s", tag);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void finish(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
static void finish(int code, const char *fmt, ...)
{
	va_list ap;

	fputs(code == EXIT_PASS ? "PASS: " :
	      code == EXIT_SKIP ? "SKIP: " : "FAIL: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	exit(code);
}

/* An ioctl the test needs failed: nothing more can be concluded. */
static void ioctl_failed(const char *who, const char *what, int err)
	__attribute__((noreturn));
static void ioctl_failed(const char *who, const char *what, int err)
{
	finish(EXIT_FAIL, "%s: %s failed: %s (errno %d)",
	       who, what, strerror(err), err);
}

static void usage(FILE *out)
{
	fprintf(out,
"Usage: " PROG " [--device /dev/dri/cardN] [--debugfs PATH]\n"
"\n"
"Hardware acceptance test for the i915-vma-cleanup DKMS package\n"
"(upstream fix e9f24d5fb7cf \"drm/i915: Clean up associated VMAs on context\n"
"destruction\"; re-implements IGT's 2016 gem_ppgtt/flink-and-exit-vma-leak).\n"
"\n"
"A buffer shared by flink name is run as a batch in a second client's\n"
"private GPU address space; after that client is gone, debugfs i915_gem_gtt\n"
"must stop listing the buffer within 5 seconds.\n"
"\n"
"Needs: an Intel GPU driven by i915 with full PPGTT (default on gen8+\n"
"since 3.19; gen7 needs i915.enable_ppgtt=2), root, and debugfs mounted at\n"
DEBUGFS_ROOT " (mount -t debugfs none " DEBUGFS_ROOT ").\n"
"\n"
"Options:\n"
"  -d, --device PATH   i915 primary node to test (default: first i915\n"
"                      /dev/dri/cardN; render nodes cannot use flink names)\n"
"      --debugfs PATH  i915_gem_gtt file to read (default:\n"
"                      " DEBUGFS_ROOT "/dri/<minor of the device>/i915_gem_gtt)\n"
"  -h, --help          show this help and exit\n"
"\n"
"Exit status: 0 PASS, 1 FAIL, 2 usage error, 77 SKIP (cannot run here).\n");
}

/* ------------------------------------------------------------ device probe */

struct reasons {
	char text[512];
	size_t len;
};

static void add_reason(struct reasons *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add_reason(struct reasons *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->len >= sizeof(r->text) - 1)
		return;
	if (r->len) {
		n = snprintf(r->text + r->len, sizeof(r->text) - r->len, "; ");
		if (n > 0)
			r->len += (size_t)n;
		if (r->len >= sizeof(r->text) - 1)
			return;
	}
	va_start(ap, fmt);
	n = vsnprintf(r->text + r->len, sizeof(r->text) - r->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->len += (size_t)n;
	if (r->len > sizeof(r->text) - 1)
		r->len = sizeof(r->text) - 1;
}

/*
 * Open @path and keep it if it is driven by i915. Returns the fd or -1; on
 * -1 a reason is added to @r.
 */
static int open_if_i915(const char *path, struct reasons *r, char *ver,
			size_t verlen)
{
	drmVersionPtr v;
	int fd;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		add_reason(r, "%s: %s", path, strerror(errno));
		return -1;
	}
	v = drmGetVersion(fd);
	if (!v) {
		add_reason(r, "%s: not a DRM device", path);
		close(fd);
		return -1;
	}
	if (!v->name || strcmp(v->name, "i915") != 0) {
		add_reason(r, "%s: driver %s", path, v->name ? v->name : "?");
		drmFreeVersion(v);
		close(fd);
		return -1;
	}
	snprintf(ver, verlen, "%s %d.%d.%d %s", v->name, v->version_major,
		 v->version_minor, v->version_patchlevel,
		 v->date ? v->date : "");
	drmFreeVersion(v);
	return fd;
}

static int card_index(const char *name)
{
	char *end;
	long n;

	if (strncmp(name, "card", 4) != 0 || !name[4])
		return -1;
	errno = 0;
	n = strtol(name + 4, &end, 10);
	if (errno || *end || n < 0 || n > 1000000)
		return -1;
	return (int)n;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * Find the first i915 primary node. flink names (GEM_FLINK/GEM_OPEN) are not
 * available on render nodes, so only /dev/dri/cardN qualify; as root every
 * open of a primary node is authenticated.
 */
static int find_i915(char *path, size_t pathlen, char *ver, size_t verlen)
{
	struct reasons r = { .len = 0 };
	struct dirent *de;
	int idx[64];
	int n = 0, render = 0, i;
	DIR *d;

	r.text[0] = '\0';
	d = opendir(DEV_DRI);
	if (!d) {
		if (errno == ENOENT)
			finish(EXIT_SKIP, "no i915 device (" DEV_DRI
			       " does not exist: no DRM driver is loaded)");
		finish(EXIT_SKIP, "no i915 device (cannot list " DEV_DRI
		       ": %s)", strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		int k = card_index(de->d_name);

		if (k >= 0 && n < (int)(sizeof(idx) / sizeof(idx[0])))
			idx[n++] = k;
		else if (!strncmp(de->d_name, "renderD", 7))
			render++;
	}
	closedir(d);
	qsort(idx, (size_t)n, sizeof(idx[0]), cmp_int);

	for (i = 0; i < n; i++) {
		int fd;

		snprintf(path, pathlen, DEV_DRI "/card%d", idx[i]);
		fd = open_if_i915(path, &r, ver, verlen);
		if (fd >= 0)
			return fd;
	}
	if (n == 0)
		finish(EXIT_SKIP, "no i915 device (no " DEV_DRI "/card* node%s)",
		       render ? "; render nodes cannot use flink names" : "");
	finish(EXIT_SKIP, "no i915 device (%s)", r.text);
}

/* --------------------------------------------------------------- GEM calls */

static int get_ppgtt_param(int fd, int *value)
{
	struct drm_i915_getparam gp;

	memset(&gp, 0, sizeof(gp));
	gp.param = I915_PARAM_HAS_ALIASING_PPGTT;
	gp.value = value;
	return drmIoctl(fd, DRM_IOCTL_I915_GETPARAM, &gp) ? errno : 0;
}

static uint32_t gem_create(const char *who, int fd)
{
	struct drm_i915_gem_create c;

	memset(&c, 0, sizeof(c));
	c.size = BO_SIZE;
	if (drmIoctl(fd, DRM_IOCTL_I915_GEM_CREATE, &c))
		ioctl_failed(who, "DRM_IOCTL_I915_GEM_CREATE", errno);
	return c.handle;
}

static uint32_t gem_flink(const char *who, int fd, uint32_t handle)
{
	struct drm_gem_flink f;

	memset(&f, 0, sizeof(f));
	f.handle = handle;
	if (drmIoctl(fd, DRM_IOCTL_GEM_FLINK, &f))
		ioctl_failed(who, "DRM_IOCTL_GEM_FLINK", errno);
	return f.name;
}

static uint32_t gem_open(const char *who, int fd, uint32_t name)
{
	struct drm_gem_open o;

	memset(&o, 0, sizeof(o));
	o.name = name;
	if (drmIoctl(fd, DRM_IOCTL_GEM_OPEN, &o))
		ioctl_failed(who, "DRM_IOCTL_GEM_OPEN", errno);
	return o.handle;
}

static void gem_close(const char *who, int fd, uint32_t handle)
{
	struct drm_gem_close c;

	memset(&c, 0, sizeof(c));
	c.handle = handle;
	if (drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &c))
		ioctl_failed(who, "DRM_IOCTL_GEM_CLOSE", errno);
}

static void write_batch(const char *who, int fd, uint32_t handle)
{
	const uint32_t batch[2] = { MI_BATCH_BUFFER_END, MI_NOOP };
	struct drm_i915_gem_pwrite pw;

	memset(&pw, 0, sizeof(pw));
	pw.handle = handle;
	pw.offset = 0;
	pw.size = sizeof(batch);
	pw.data_ptr = (uintptr_t)batch;
	if (drmIoctl(fd, DRM_IOCTL_I915_GEM_PWRITE, &pw))
		ioctl_failed(who, "DRM_IOCTL_I915_GEM_PWRITE", errno);
}

static uint32_t context_create(const char *who, int fd)
{
	struct drm_i915_gem_context_create c;

	memset(&c, 0, sizeof(c));
	if (drmIoctl(fd, DRM_IOCTL_I915_GEM_CONTEXT_CREATE, &c))
		ioctl_failed(who, "DRM_IOCTL_I915_GEM_CONTEXT_CREATE", errno);
	return c.ctx_id;
}

static void context_destroy(const char *who, int fd, uint32_t ctx)
{
	struct drm_i915_gem_context_destroy d;

	memset(&d, 0, sizeof(d));
	d.ctx_id = ctx;
	if (drmIoctl(fd, DRM_IOCTL_I915_GEM_CONTEXT_DESTROY, &d))
		ioctl_failed(who, "DRM_IOCTL_I915_GEM_CONTEXT_DESTROY", errno);
}

/* Run @handle as the batch on the render ring in context @ctx (0: default). */
static uint64_t execbuf(const char *who, int fd, uint32_t handle, uint32_t ctx)
{
	struct drm_i915_gem_exec_object2 obj;
	struct drm_i915_gem_execbuffer2 eb;

	memset(&obj, 0, sizeof(obj));
	obj.handle = handle;

	memset(&eb, 0, sizeof(eb));
	eb.buffers_ptr = (uintptr_t)&obj;
	eb.buffer_count = 1;
	eb.batch_start_offset = 0;
	eb.batch_len = BATCH_LEN;
	eb.flags = I915_EXEC_RENDER;
	i915_execbuffer2_set_context_id(eb, ctx);

	if (drmIoctl(fd, DRM_IOCTL_I915_GEM_EXECBUFFER2, &eb))
		ioctl_failed(who, "DRM_IOCTL_I915_GEM_EXECBUFFER2", errno);
	return obj.offset;
}

/* Wait until the GPU is done with @handle. */
static void gem_sync(const char *who, int fd, uint32_t handle)
{
	struct drm_i915_gem_set_domain sd;
	struct drm_i915_gem_wait w;

	memset(&w, 0, sizeof(w));
	w.bo_handle = handle;
	w.timeout_ns = WAIT_TIMEOUT_NS;
	if (drmIoctl(fd, DRM_IOCTL_I915_GEM_WAIT, &w) == 0)
		return;
	if (errno == ETIME)
		finish(EXIT_FAIL, "%s: batch still busy after %lld s (GPU hang?)",
		       who, WAIT_TIMEOUT_NS / 1000000000LL);
	if (errno != ENOTTY && errno != EINVAL)
		ioctl_failed(who, "DRM_IOCTL_I915_GEM_WAIT", errno);

	/* No usable GEM_WAIT: moving to the GTT domain also waits. */
	memset(&sd, 0, sizeof(sd));
	sd.handle = handle;
	sd.read_domains = I915_GEM_DOMAIN_GTT;
	sd.write_domain = 0;
	if (drmIoctl(fd, DRM_IOCTL_I915_GEM_SET_DOMAIN, &sd))
		ioctl_failed(who, "DRM_IOCTL_I915_GEM_SET_DOMAIN", errno);
}

/* ----------------------------------------------------------------- debugfs */

struct scan {
	int matches;
	char *lines[MAX_SHOWN_LINES];
};

static void scan_free(struct scan *s)
{
	int i;

	for (i = 0; i < MAX_SHOWN_LINES; i++) {
		free(s->lines[i]);
		s->lines[i] = NULL;
	}
	s->matches = 0;
}

/* Count lines of @path containing @needle; keep the first few. 0 or errno. */
static int scan_debugfs(const char *path, const char *needle, struct scan *s)
{
	size_t cap = 0;
	char *line = NULL;
	ssize_t len;
	FILE *f;
	int err = 0;

	scan_free(s);
	f = fopen(path, "re");
	if (!f)
		return errno;
	errno = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (!strstr(line, needle))
			continue;
		if (len > 0 && line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (s->matches < MAX_SHOWN_LINES)
			s->lines[s->matches] = strdup(line);
		s->matches++;
	}
	if (ferror(f))
		err = errno ? errno : EIO;
	free(line);
	fclose(f);
	return err;
}

static void print_lines(const struct scan *s)
{
	int i;

	for (i = 0; i < s->matches && i < MAX_SHOWN_LINES; i++)
		printf("  i915_gem_gtt: %s\n", s->lines[i] ? s->lines[i] : "?");
	if (s->matches > MAX_SHOWN_LINES)
		printf("  i915_gem_gtt: ... %d more\n",
		       s->matches - MAX_SHOWN_LINES);
}

/* Work out (and check) the i915_gem_gtt path for DRM minor @minor. */
static void find_debugfs(unsigned int minor, char *path, size_t pathlen)
{
	char dir[128];
	struct statfs sfs;
	struct stat st;
	int fd;

	if (geteuid() != 0)
		finish(EXIT_SKIP, "debugfs i915_gem_gtt needs root: run as root "
		       "(e.g. sudo tests/hw/run.sh)");

	snprintf(dir, sizeof(dir), DEBUGFS_ROOT "/dri/%u", minor);
	snprintf(path, pathlen, "%s/i915_gem_gtt", dir);
	if (stat(path, &st) != 0) {
		if (statfs(DEBUGFS_ROOT, &sfs) != 0 ||
		    sfs.f_type != DEBUGFS_MAGIC)
			finish(EXIT_SKIP, "debugfs is not mounted on " DEBUGFS_ROOT
			       ": run 'mount -t debugfs none " DEBUGFS_ROOT
			       "' as root and retry");
		if (stat(dir, &st) != 0)
			finish(EXIT_SKIP, "debugfs has no %s for this device "
			       "(give the i915_gem_gtt path with --debugfs)",
			       dir);
		finish(EXIT_SKIP, "%s does not exist: this kernel's i915 has no "
		       "i915_gem_gtt debugfs file (removed in later kernels, "
		       "which do not need this package)", path);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		finish(EXIT_SKIP, "cannot open %s: %s (kernel lockdown or Secure "
		       "Boot restricting debugfs?)", path, strerror(errno));
	close(fd);
}

/* ---------------------------------------------------------------- identity */

static void report_module(void)
{
	char buf[256];
	FILE *f;

	f = fopen(DKMS_IDENTITY, "re");
	if (!f) {
		say("module:", "stock i915 (no %s: the i915-vma-cleanup build "
		    "is not loaded)", DKMS_IDENTITY);
		return;
	}
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	say("module:", "i915-vma-cleanup: %s", buf[0] ? buf : "(empty identity)");
}

/* -------------------------------------------------------------------- main */

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "debugfs", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *opt_device = NULL, *opt_debugfs = NULL;
	char devpath[256], gtt[256], ver[256], match[64];
	struct scan s;
	struct utsname uts;
	struct stat st;
	uint32_t bo, name, handle2, ctx2, bo3;
	int fd, fd2, fd3, ppgtt = 0, err, opt, tries;

	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&s, 0, sizeof(s));

	while ((opt = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			opt_device = optarg;
			break;
		case 'g':
			opt_debugfs = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_PASS;
		default:
			fprintf(stderr, "Try '" PROG " --help' for usage.\n");
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, PROG ": unexpected argument '%s'\n"
			"Try '" PROG " --help' for usage.\n", argv[optind]);
		return EXIT_USAGE;
	}

	/* 1. device */
	if (opt_device) {
		struct reasons r = { .len = 0 };
		const char *base;

		r.text[0] = '\0';
		snprintf(devpath, sizeof(devpath), "%s", opt_device);
		fd = open_if_i915(devpath, &r, ver, sizeof(ver));
		if (fd < 0)
			finish(EXIT_SKIP, "no i915 device (%s)", r.text);
		base = strrchr(devpath, '/');
		base = base ? base + 1 : devpath;
		if (drmGetNodeTypeFromFd(fd) == DRM_NODE_RENDER ||
		    strncmp(base, "renderD", 7) == 0) {
			fprintf(stderr, PROG ": %s is a render node; flink names "
				"need the primary node /dev/dri/cardN\n", devpath);
			return EXIT_USAGE;
		}
	} else {
		fd = find_i915(devpath, sizeof(devpath), ver, sizeof(ver));
	}
	if (fstat(fd, &st) != 0)
		finish(EXIT_FAIL, "device: fstat %s: %s", devpath, strerror(errno));
	if (!S_ISCHR(st.st_mode) && !opt_debugfs) {
		fprintf(stderr, PROG ": %s is not a character device\n", devpath);
		return EXIT_USAGE;
	}
	if (uname(&uts) != 0)
		snprintf(uts.release, sizeof(uts.release), "?");
	if (S_ISCHR(st.st_mode))
		say("device:", "%s (%s), minor %u, kernel %s", devpath, ver,
		    minor(st.st_rdev), uts.release);
	else
		say("device:", "%s (%s), kernel %s", devpath, ver, uts.release);
	report_module();

	/* 2. full PPGTT */
	err = get_ppgtt_param(fd, &ppgtt);
	if (err)
		finish(EXIT_SKIP, "full PPGTT is not enabled (GETPARAM "
		       "I915_PARAM_HAS_ALIASING_PPGTT failed: %s); on gen7 boot "
		       "with i915.enable_ppgtt=2", strerror(err));
	if (ppgtt <= 1)
		finish(EXIT_SKIP, "full PPGTT is not enabled "
		       "(I915_PARAM_HAS_ALIASING_PPGTT = %d, need > 1); on gen7 "
		       "boot with i915.enable_ppgtt=2", ppgtt);
	say("ppgtt:", "full PPGTT (I915_PARAM_HAS_ALIASING_PPGTT = %d)", ppgtt);

	/* 3. debugfs */
	if (opt_debugfs)
		snprintf(gtt, sizeof(gtt), "%s", opt_debugfs);
	else
		find_debugfs(minor(st.st_rdev), gtt, sizeof(gtt));
	say("debugfs:", "%s", gtt);

	/* 4. fd: buffer object with a global name */
	bo = gem_create("fd", fd);
	name = gem_flink("fd", fd, bo);
	snprintf(match, sizeof(match), "(name: %u)", name);
	say("fd:", "created %u-byte BO (handle %u), flink name %u",
	    BO_SIZE, bo, name);

	/* 5. fd2: open by name, run it as a batch in fd2's own context */
	fd2 = open(devpath, O_RDWR | O_CLOEXEC);
	if (fd2 < 0)
		finish(EXIT_FAIL, "fd2: open %s: %s", devpath, strerror(errno));
	handle2 = gem_open("fd2", fd2, name);
	write_batch("fd2", fd2, handle2);
	ctx2 = context_create("fd2", fd2);
	(void)execbuf("fd2", fd2, handle2, ctx2);
	gem_sync("fd2", fd2, handle2);
	say("fd2:", "opened name %u (handle %u), ran it as batch on the render "
	    "ring in context %u, idle", name, handle2, ctx2);

	/* 6. the object must now be visible in i915_gem_gtt */
	err = scan_debugfs(gtt, match, &s);
	if (err)
		finish(EXIT_FAIL, "read %s: %s", gtt, strerror(err));
	if (s.matches == 0)
		finish(EXIT_FAIL, "%s does not list \"%s\" after the batch ran: "
		       "the test cannot observe the object's VMA", gtt, match);
	say("check:", "i915_gem_gtt lists \"%s\" (VMA in fd2's address space)",
	    match);
	scan_free(&s);

	/* 7. fd2 goes away */
	gem_close("fd2", fd2, handle2);
	context_destroy("fd2", fd2, ctx2);
	if (close(fd2) != 0)
		finish(EXIT_FAIL, "fd2: close: %s", strerror(errno));
	say("fd2:", "closed handle %u, destroyed context %u, closed fd2",
	    handle2, ctx2);

	/* 8. fd3: unrelated work, so the engine lets go of fd2's context */
	fd3 = open(devpath, O_RDWR | O_CLOEXEC);
	if (fd3 < 0)
		finish(EXIT_FAIL, "fd3: open %s: %s", devpath, strerror(errno));
	bo3 = gem_create("fd3", fd3);
	write_batch("fd3", fd3, bo3);
	(void)execbuf("fd3", fd3, bo3, 0);
	gem_sync("fd3", fd3, bo3);
	say("fd3:", "ran an unrelated batch (handle %u) on the render ring, idle",
	    bo3);

	/* 9. the VMA must go away with fd2's context */
	for (tries = 1; tries <= RETRIES; tries++) {
		sleep_ms(RETRY_DELAY_MS);
		err = scan_debugfs(gtt, match, &s);
		if (err)
			finish(EXIT_FAIL, "read %s: %s", gtt, strerror(err));
		if (s.matches == 0)
			break;
	}
	if (tries > RETRIES) {
		printf("FAIL: \"%s\" still listed in %s after %d tries "
		       "(%d x %d ms): the VMA of the flinked object outlived "
		       "fd2's context (leak; fix not active)\n",
		       match, gtt, RETRIES, RETRIES, RETRY_DELAY_MS);
		print_lines(&s);
		scan_free(&s);
		return EXIT_FAIL;
	}
	say("wait:", "\"%s\" gone from i915_gem_gtt after %d %s (%d ms)",
	    match, tries, tries == 1 ? "try" : "tries", tries * RETRY_DELAY_MS);

	gem_close("fd3", fd3, bo3);
	close(fd3);
	gem_close("fd", fd, bo);
	close(fd);
	scan_free(&s);
	finish(EXIT_PASS, "VMA of the flinked object released with its context");
}
